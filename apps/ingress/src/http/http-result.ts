import type { FastifyReply } from 'fastify';

/** A response decided by a use case: routes whose status varies (202 or 200) send it themselves. */
export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export async function send(reply: FastifyReply, result: HttpResult): Promise<void> {
  await reply.status(result.status).headers(result.headers).send(result.body);
}

/** Fires when the client goes away before its response is sent: stop waiting on its behalf. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
