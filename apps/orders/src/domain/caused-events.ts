import type { Envelope } from '@bulwark/contracts';
import { causedEvents as causedIn, type CausedEvents } from '@bulwark/messaging';

export type { CausedEvents };

/** UUIDv5 namespace of the ids orders derives: the same cause handled by another service yields other ids. */
const NAMESPACE = '6f0e7f62-2b0e-4d63-9a53-0e4a1c8f5d21';

/** The messages `cause` makes orders emit, with deterministic ids (see libs/messaging caused-events). */
export const causedEvents = (cause: Envelope): CausedEvents => causedIn(NAMESPACE, cause);
