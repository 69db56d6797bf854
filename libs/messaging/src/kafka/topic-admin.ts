import { REPLICATION, type TopicDeclaration } from '@bulwark/contracts';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';

export interface TopicReport {
  readonly name: string;
  readonly action: 'created' | 'verified';
  readonly partitions: number;
}

/**
 * Creates every declared topic that is missing and verifies the ones that exist. Refuses
 * (throws BLW_TOPIC_MISCONFIGURED, listing every problem) when an existing topic has a
 * replication factor, min.insync.replicas, unclean election setting or partition count other
 * than declared: running on weaker guarantees than documented would be silent data risk.
 */
export async function ensureTopics(
  kafka: Kafka,
  declarations: readonly TopicDeclaration[],
  partitionsOverride?: number,
): Promise<TopicReport[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = declarations.map((d) => ({ ...d, partitions: partitionsOverride ?? d.partitions }));
    const missing = wanted.filter((d) => !existing.has(d.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((d) => ({
          topic: d.name,
          numPartitions: d.partitions,
          replicationFactor: REPLICATION.replicationFactor,
          configEntries: Object.entries(topicConfig(d)).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const problems = await verify(kafka, admin, wanted);
    if (problems.length > 0) {
      throw new MessagingError(
        MessagingErrorCodes.topicMisconfigured,
        `existing topics do not match their declarations:\n  - ${problems.join('\n  - ')}\n` +
          'Fix them with kafka-configs / kafka-reassign-partitions, or delete the data folder for a fresh local stack.',
        false,
      );
    }
    return wanted.map((d) => ({ name: d.name, action: missing.includes(d) ? 'created' : 'verified', partitions: d.partitions }));
  } finally {
    await admin.disconnect();
  }
}

export function topicConfig(d: TopicDeclaration): Record<string, string> {
  return {
    'min.insync.replicas': String(REPLICATION.minInsyncReplicas),
    'unclean.leader.election.enable': String(REPLICATION.uncleanLeaderElection),
    ...d.config,
  };
}

async function verify(_kafka: Kafka, admin: ReturnType<Kafka['admin']>, wanted: readonly TopicDeclaration[]): Promise<string[]> {
  const problems: string[] = [];
  const { topics } = await admin.fetchTopicMetadata({ topics: wanted.map((d) => d.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((d) => ({ type: ConfigResourceTypes.TOPIC, name: d.name })),
  });
  for (const d of wanted) {
    const meta = topics.find((t) => t.name === d.name);
    if (!meta) {
      problems.push(`${d.name}: missing after creation`);
      continue;
    }
    if (meta.partitions.length !== d.partitions) {
      problems.push(`${d.name}: ${meta.partitions.length} partitions, declared ${d.partitions}`);
    }
    const rfs = new Set(meta.partitions.map((p) => p.replicas.length));
    if (rfs.size !== 1 || !rfs.has(REPLICATION.replicationFactor)) {
      problems.push(`${d.name}: replication factor ${[...rfs].join('/')}, required ${REPLICATION.replicationFactor}`);
    }
    const entries = configs.resources.find((r) => r.resourceName === d.name)?.configEntries ?? [];
    const value = (name: string) => entries.find((e) => e.configName === name)?.configValue;
    if (value('min.insync.replicas') !== String(REPLICATION.minInsyncReplicas)) {
      problems.push(`${d.name}: min.insync.replicas=${value('min.insync.replicas')}, required ${REPLICATION.minInsyncReplicas}`);
    }
    if (value('unclean.leader.election.enable') !== 'false') {
      problems.push(`${d.name}: unclean.leader.election.enable=${value('unclean.leader.election.enable')}, required false`);
    }
  }
  return problems;
}
