import type { Envelope } from '@bulwark/contracts';
import { causedEvents as causedIn, type CausedEvents } from '@bulwark/messaging';

export type { CausedEvents };

/** UUIDv5 namespace of the ids payments derives: the same cause handled by another service yields other ids. */
const NAMESPACE = '35243424-0b1c-4212-9315-3e6a9812a50a';

/** The messages `cause` makes payments emit, with deterministic ids (see libs/messaging caused-events). */
export const causedEvents = (cause: Envelope): CausedEvents => causedIn(NAMESPACE, cause);
