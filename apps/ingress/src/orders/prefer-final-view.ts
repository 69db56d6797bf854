import type { HttpResult } from '../http/http-result';
import type { OrderReadModel } from './order-read-model';

/**
 * `Prefer: wait=N` (ADR 0005): after the command is accepted, wait up to N s for the order to
 * be final in the read model and answer 200 with its view; otherwise the 202 as usual.
 */
export async function preferFinalView(
  readModel: OrderReadModel,
  accepted: HttpResult,
  order: { orderId: string; customerId: string },
  waitSeconds: number | null,
  signal?: AbortSignal,
): Promise<HttpResult> {
  if (waitSeconds === null) return accepted;
  const view = await readModel.waitUntilFinal(order.orderId, order.customerId, waitSeconds * 1000, signal);
  if (!view) return accepted;
  // Location names the created resource of a 202; the 200 carries the resource itself.
  const headers: Record<string, string> = { ...accepted.headers };
  delete headers.location;
  return {
    status: 200,
    body: view,
    headers: { ...headers, 'preference-applied': `wait=${waitSeconds}`, 'content-location': `/api/orders/${order.orderId}` },
  };
}

export function orderLinks(orderId: string) {
  return { self: `/api/orders/${orderId}`, events: `/api/orders/${orderId}/events` };
}
