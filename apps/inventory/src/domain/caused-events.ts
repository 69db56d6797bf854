import type { Envelope } from '@bulwark/contracts';
import { causedEvents as causedIn, type CausedEvents } from '@bulwark/messaging';

export type { CausedEvents };

/** UUIDv5 namespace of the ids inventory derives: the same cause handled by another service yields other ids. */
const NAMESPACE = 'f1ed8e80-6f84-43c6-b16f-615694ebbd03';

/** The messages `cause` makes inventory emit, with deterministic ids (see libs/messaging caused-events). */
export const causedEvents = (cause: Envelope): CausedEvents => causedIn(NAMESPACE, cause);
