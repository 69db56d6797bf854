import { z } from 'zod';
import type { ProcessedMessages } from '../ports/processed-messages.port';
import type { Middleware } from '../ports/subscriber.port';
import { parseOptions, port } from './parse-options';

export interface DeduplicationOptions {
  readonly processed: ProcessedMessages;
}

const optionsSchema = z.object({ processed: port<ProcessedMessages>('has', 'add') }).strict();

/**
 * Skips a message whose envelope id this group has already processed (a redelivery after a
 * rebalance, a producer retry, a relay re-publishing its outbox after a crash), and records the
 * id once the handler succeeded.
 *
 * This is only the fast path: it saves the handler's work for the common duplicate. It cannot
 * make an effect apply once, because a crash between the handler's write and `add` leaves the
 * effect stored and the id unrecorded, so the message runs again. The authoritative check is the
 * single-document inbox (outbox/), which stores the applied ids in the same atomic update as the
 * state change. Handlers must stay idempotent with or without this middleware.
 */
export function deduplication(options: DeduplicationOptions): Middleware {
  const { processed } = parseOptions('deduplication', optionsSchema, options);
  return (next) => async (delivery) => {
    const { id } = delivery.envelope;
    if (await processed.has(delivery.group, id)) return;
    await next(delivery);
    // An error here fails the delivery instead of being swallowed: it is usually the store being
    // down (transient, so retried), and running the idempotent handler again is safe.
    await processed.add(delivery.group, id);
  };
}
