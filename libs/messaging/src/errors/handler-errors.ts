/**
 * How a failure is treated by the consumer pipeline (ARCHITECTURE.md, guarantee 4):
 *  - transient (retriable: true): the store or broker is down. Retried with backoff for as long
 *    as it takes, never dead-lettered, never skipped: the partition waits.
 *  - permanent (retriable: false): the message can never succeed (invalid, breaks a rule).
 *    Dead-lettered at once; the partition moves on.
 *  - unknown (no flag): probably a bug. Retried a few times, then treated as permanent
 *    ("a handler failing the same way N times").
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** A failure whose kind the thrower knows: a stable code and whether retrying can help. */
abstract class ClassifiedError extends Error {
  abstract readonly retriable: boolean;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class PermanentError extends ClassifiedError {
  readonly retriable = false;
}

export class TransientError extends ClassifiedError {
  readonly retriable = true;
}

/** Thrown when processing stops because the partition was revoked or the consumer is stopping. */
export class DeliveryAbortedError extends Error {
  readonly code = 'BLW_DELIVERY_ABORTED';
  readonly retriable = true;
  constructor() {
    super('delivery aborted: partition revoked or consumer stopping');
    this.name = 'DeliveryAbortedError';
  }
}

/** MongoDB driver (and mongoose's wrappers of them) errors that mean "the store is unreachable right now". */
const TRANSIENT_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

export function classifyFailure(err: unknown, depth = 0): FailureKind {
  if (typeof err !== 'object' || err === null || depth > 5) return 'unknown';
  const e = err as { retriable?: unknown; name?: unknown; code?: unknown; cause?: unknown; errorLabelSet?: unknown };
  if (e.retriable === true) return 'transient';
  if (e.retriable === false) return 'permanent';
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return 'transient';
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return 'transient';
  // The driver labels errors a retry can fix (connection refused, pool reset, failover).
  if (e.errorLabelSet instanceof Set && (e.errorLabelSet.has('RetryableError') || e.errorLabelSet.has('ResetPool')))
    return 'transient';
  // A store that is busy (FerretDB over SQLite: another connection holds the write lock past
  // the busy timeout) will take the write a moment later: never dead-letter for it.
  if (isStoreBusy(err)) return 'transient';
  if (e.name === 'ZodError') return 'permanent';
  // A wrapper (e.g. mongoose around the driver) keeps the real reason as its cause.
  return e.cause === undefined ? 'unknown' : classifyFailure(e.cause, depth + 1);
}

// "bulwark: stale write": FerretDB's version guard refused a write from an outdated read
// (outbox/version-guard.ts); like a write conflict, reading again resolves it.
const STORE_BUSY = /database is locked|SQLITE_BUSY|WriteConflict|bulwark: stale write/;

function isStoreBusy(err: object): boolean {
  const { message, codeName } = err as { message?: unknown; codeName?: unknown };
  return (typeof message === 'string' && STORE_BUSY.test(message)) || codeName === 'WriteConflict';
}

/** A stable code for metrics and dead-letter headers. */
export function failureCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? `ERR_${name.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}` : 'ERR_UNKNOWN';
}
