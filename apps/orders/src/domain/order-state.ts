import { FINAL_ORDER_STATUSES, type OrderStatus, type RejectionReason } from '@bulwark/contracts';

/** Inventory's first answer for one line; later answers never overwrite it. */
export type LineAnswer = 'AWAITING' | 'RESERVED' | 'REJECTED';

export interface LineRejection {
  readonly reason: 'OUT_OF_STOCK' | 'UNKNOWN_SKU';
  readonly requested: number;
  readonly available: number;
}

export interface OrderLineState {
  readonly sku: string;
  readonly quantity: number;
  readonly answer: LineAnswer;
  /** The price inventory reserved at (RESERVED lines), what the order is charged. */
  readonly unitPriceCents: number | null;
  readonly rejection: LineRejection | null;
  /** A ReleaseStock was sent for this line: never sent twice. */
  readonly releaseRequested: boolean;
  /** Inventory confirmed the release (StockReleased). */
  readonly released: boolean;
}

/**
 * One order as the coordinator of its saga sees it. Every field is a value or null (never
 * undefined, which the store would drop), so a replay rebuilds byte-identical documents.
 */
export interface OrderState {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLineState[];
  readonly placedAt: string;
  /**
   * Needed for AuthorizePayment once every line is reserved; dropped as soon as payment is
   * requested or the order is final, so the store keeps a card number no longer than it must.
   */
  readonly cardNumber: string | null;
  /** Sum of quantity x reserved unit price, known once every line is reserved. */
  readonly amountCents: number | null;
  readonly reason: RejectionReason | null;
  readonly detail: string | null;
  readonly cancelReason: string | null;
  /** AuthorizePayment was sent: a cancellation must then void whatever payments decided. */
  readonly paymentRequested: boolean;
  readonly authorizationId: string | null;
  readonly paymentVoided: boolean;
}

export function isFinal(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.includes(status);
}

export function lineOf(order: OrderState, sku: string): OrderLineState | undefined {
  return order.lines.find((line) => line.sku === sku);
}

export function withLine(order: OrderState, sku: string, change: Partial<OrderLineState>): OrderState {
  return { ...order, lines: order.lines.map((line) => (line.sku === sku ? { ...line, ...change } : line)) };
}

/** What the order costs at the reserved prices (every line must be RESERVED). */
export function amountOf(lines: readonly OrderLineState[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * (line.unitPriceCents ?? 0), 0);
}
