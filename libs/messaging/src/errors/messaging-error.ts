/**
 * Every failure the messaging layer reports carries a stable code and whether retrying can
 * help. Retry policies read only `retriable`; the HTTP edge maps codes to statuses.
 */
export class MessagingError extends Error {
  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }
}

export const MessagingErrorCodes = {
  /** Kafka did not acknowledge in time or not enough in-sync replicas: try again later. */
  brokerUnavailable: 'BLW_BROKER_UNAVAILABLE',
  publishTimeout: 'BLW_PUBLISH_TIMEOUT',
  /** Too many messages already waiting for Kafka: backpressure, try again later. */
  publisherOverloaded: 'BLW_PUBLISHER_OVERLOADED',
  /** The message itself cannot be accepted (too large, unknown topic): retrying will not help. */
  publishRejected: 'BLW_PUBLISH_REJECTED',
  invalidMessage: 'BLW_INVALID_MESSAGE',
  topicMisconfigured: 'BLW_TOPIC_MISCONFIGURED',
  /** A middleware or transport was built with bad options: a programming error, found at start-up. */
  invalidOptions: 'BLW_INVALID_OPTIONS',
} as const;

export type MessagingErrorCode = (typeof MessagingErrorCodes)[keyof typeof MessagingErrorCodes];

export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
