import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Per-request timeout; kept short so a dead broker is noticed quickly. */
  readonly requestTimeoutMs?: number;
}

const ROUTINE = ['group is rebalancing', 'not the correct coordinator', 'coordinator is loading', 'coordinator is not available'];

/** kafkajs's own logs at WARN and above, one JSON-free line each. */
function logCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    if (level > logLevel.WARN) return;
    const { message, error } = log as { message: string; error?: string };
    // We bound producer retries on purpose (see KafkaPublisher.publish); the warning is expected.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    // Rebalances and coordinator moves are routine; kafkajs logs the protocol response at ERROR.
    if (namespace === 'Connection' && ROUTINE.some((r) => message.includes(r) || error?.includes(r))) return;
    const label = level === logLevel.ERROR ? 'ERROR' : 'WARN';
    process.stderr.write(`[kafkajs ${label}] ${namespace}: ${message}${error ? ` (${error})` : ''}\n`);
  };
}

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator,
  });
}
