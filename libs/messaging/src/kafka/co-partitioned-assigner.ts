import { AssignerProtocol, PartitionAssigners, type Assigner, type Cluster } from 'kafkajs';

/**
 * Hands partition number p of EVERY subscribed topic to the same member. Bulwark keys all the
 * topics that feed one aggregate by the aggregate id (orders.commands, inventory.events and
 * payments.events by order id), and equal partition counts map a key to the same partition
 * number on each, so this makes one replica the only writer of an order whichever topic the
 * message came on. That matters on stores without isolated updates (FerretDB: two writers of
 * one document lose an update, see outbox/writer-lock.ts). kafkajs's round-robin assigner
 * walks topic-partitions in one list, which only lines up when partitions % members == 0.
 *
 * Members are sorted by id and partitions dealt out in contiguous ranges (like Kafka's
 * RangeAssignor), so a member's share is the same slice of every topic.
 */
export function assignCoPartitioned(
  memberIds: readonly string[],
  partitionsByTopic: Readonly<Record<string, number>>,
): Record<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const assignment: Record<string, Record<string, number[]>> = {};
  if (members.length === 0) return assignment;
  for (const member of members) assignment[member] = {};
  for (const [topic, count] of Object.entries(partitionsByTopic)) {
    for (let p = 0; p < count; p++) {
      const member = members[Math.floor((p * members.length) / count)] as string;
      const slot = assignment[member] as Record<string, number[]>;
      (slot[topic] ??= []).push(p);
    }
  }
  return assignment;
}

/** The kafkajs partition assigner around assignCoPartitioned. */
export const CoPartitionedAssigner = ({ cluster }: { cluster: Cluster }): Assigner => ({
  name: 'BulwarkCoPartitioned',
  version: 1,
  async assign({ members, topics }) {
    const partitionsByTopic: Record<string, number> = {};
    for (const topic of topics) partitionsByTopic[topic] = cluster.findTopicPartitionMetadata(topic).length;
    const assignment = assignCoPartitioned(
      members.map((m) => m.memberId),
      partitionsByTopic,
    );
    return Object.entries(assignment).map(([memberId, topicsOf]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: topicsOf, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'BulwarkCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});

/** Preferred first; round robin stays listed so a group mid rolling-upgrade still agrees on one. */
export const PARTITION_ASSIGNERS = [CoPartitionedAssigner, PartitionAssigners.roundRobin];
