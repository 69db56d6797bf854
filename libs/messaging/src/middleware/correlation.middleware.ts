import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from '../ports/subscriber.port';

/** Same shape as envelope/new-envelope.ts's Causation; not imported from there, which imports this. */
interface CurrentCausation {
  readonly correlationId: string;
  readonly causationId: string;
}

const storage = new AsyncLocalStorage<CurrentCausation>();

/**
 * Runs the rest of the pipeline with the delivered message as the current cause, so messages
 * produced while handling it (newEnvelope without an explicit causation) join its correlation
 * and name it as their cause, without threading it through every call.
 */
export function correlation(): Middleware {
  return (next) => async (delivery) => {
    let cause: CurrentCausation;
    try {
      cause = { correlationId: delivery.envelope.correlationId, causationId: delivery.envelope.id };
    } catch {
      // Not a valid envelope: the dead-letter middleware inside must still see the decode error.
      return next(delivery);
    }
    return storage.run(cause, () => next(delivery));
  };
}

/** The message being handled in this async context, or null outside any handler. */
export function currentCausation(): CurrentCausation | null {
  return storage.getStore() ?? null;
}
