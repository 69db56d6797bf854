import { EchoCommands, EchoEvents } from '@bulwark/contracts';
import { kafkaTool, KafkaTools, parseTopicDescribe, supervisor, waitFor } from './stack';

export const KAFKA_NODES = ['kafka-1', 'kafka-2', 'kafka-3'] as const;

/** Every partition of the wire's topics has all three replicas in sync (Kafka's own tool says so). */
export async function isrFull(): Promise<boolean> {
  const out = await kafkaTool(KafkaTools.topics, ['--describe', '--topic', `${EchoCommands.name}|${EchoEvents.name}`]);
  const partitions = parseTopicDescribe(out);
  return partitions.length > 0 && partitions.every((p) => p.isr.length === 3);
}

/** Chaos tests start from a whole, settled stack, whatever the previous test did. */
export async function waitForHealthyStack(timeoutMs = 180_000): Promise<void> {
  await waitFor(
    'every supervised process ready',
    async () => (await supervisor.status()).processes.every((p) => p.state === 'ready'),
    timeoutMs,
  );
  await waitFor('ISR of 3 on every partition', isrFull, timeoutMs, 2000);
}

/** Members of a consumer group as Kafka's consumer-group tool lists them. */
export async function groupMembers(group: string): Promise<string[]> {
  const out = await kafkaTool(KafkaTools.consumerGroups, ['--describe', '--group', group, '--members']);
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${group} `))
    .map((l) => l.split(/\s+/)[1] ?? '');
}
