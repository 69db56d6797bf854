import type { TopicDeclaration } from '@bulwark/contracts';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import type { RawRecord } from '../ports/raw-publisher.port';

export interface StoredRecord extends RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: Date;
}

/** A consumer group member as the broker sees it; InMemorySubscriber creates one per subscription. */
export interface GroupMember {
  readonly topics: readonly string[];
  /**
   * Start processing a partition, but only after `previousOwnerDone`: one partition is never
   * processed by two members at once, which is what keeps it in order across a rebalance.
   */
  claim(topic: string, partition: number, previousOwnerDone: Promise<void>): PartitionClaim;
}

export interface PartitionClaim {
  readonly member: GroupMember;
  /** Aborts in-flight work; resolves once the worker stopped and committed what it finished. */
  release(): Promise<void>;
}

interface ConsumerGroup {
  /** topic:partition -> the next offset to process (Kafka's committed offset). */
  readonly committed: Map<string, number>;
  /** In join order; partitions are dealt to them round-robin. */
  readonly members: GroupMember[];
  readonly claims: Map<string, PartitionClaim>;
}

/**
 * The log and consumer groups behind InMemoryPublisher and InMemorySubscriber: topics with
 * partitions, records appended with increasing offsets, committed offsets per group and
 * partition, and partitions dealt to a group's members. Enough Kafka for unit tests of
 * services; it passes the same contract suite as the Kafka implementation.
 *
 * Not Kafka: keys map to partitions by a stable hash that differs from Kafka's murmur2, nothing
 * is persisted, and a topic must be created before use (as the platform never auto-creates).
 */
export class InMemoryBroker {
  private readonly topics = new Map<string, StoredRecord[][]>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly appendWaiters = new Set<() => void>();
  private readonly idleWaiters = new Set<() => void>();
  private nextUnkeyed = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  createTopic(name: string, partitions = 1): void {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new MessagingError(MessagingErrorCodes.invalidOptions, `${name}: partitions must be a positive integer`, false);
    }
    const existing = this.topics.get(name);
    if (existing && existing.length !== partitions) {
      throw new MessagingError(
        MessagingErrorCodes.topicMisconfigured,
        `${name} exists with ${existing.length} partitions, asked for ${partitions}`,
        false,
      );
    }
    if (!existing)
      this.topics.set(
        name,
        Array.from({ length: partitions }, () => []),
      );
  }

  createTopics(declarations: readonly TopicDeclaration[]): void {
    for (const d of declarations) this.createTopic(d.name, d.partitions);
  }

  partitions(topic: string): number {
    return this.log(topic).length;
  }

  /** Appends all records or none (an unknown topic rejects the whole batch, like Kafka's produce). */
  append(topic: string, records: readonly RawRecord[]): StoredRecord[] {
    const log = this.topics.get(topic);
    if (!log) throw new MessagingError(MessagingErrorCodes.publishRejected, `unknown topic ${topic}`, false);
    const stored = records.map((r) => {
      const partition = r.key === null ? this.nextUnkeyed++ % log.length : hashKey(r.key) % log.length;
      const records = log[partition] ?? [];
      const record: StoredRecord = {
        topic,
        partition,
        offset: records.length,
        key: r.key,
        // Copies: a caller reusing its buffer or headers object must not rewrite the log.
        value: r.value === null ? null : Buffer.from(r.value),
        headers: { ...r.headers },
        timestamp: this.now(),
      };
      records.push(record);
      return record;
    });
    for (const wake of [...this.appendWaiters]) wake();
    return stored;
  }

  read(topic: string, partition: number, offset: number): StoredRecord | undefined {
    return this.log(topic)[partition]?.[offset];
  }

  endOffset(topic: string, partition: number): number {
    return this.log(topic)[partition]?.length ?? 0;
  }

  /** Every record of a topic, partition by partition, in offset order. */
  records(topic: string): StoredRecord[] {
    return this.log(topic).flat();
  }

  /** A group with no commit yet starts at the earliest offset (0), like the subscribers' Kafka setting. */
  committed(group: string, topic: string, partition: number): number {
    return this.groups.get(group)?.committed.get(`${topic}:${partition}`) ?? 0;
  }

  commit(group: string, topic: string, partition: number, nextOffset: number): void {
    this.group(group).committed.set(`${topic}:${partition}`, nextOffset);
    this.settleIdle();
  }

  /** Resolves on the next append anywhere, or when the signal fires. */
  nextAppend(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        this.appendWaiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.appendWaiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  join(groupId: string, member: GroupMember): void {
    for (const topic of member.topics) this.log(topic);
    this.group(groupId).members.push(member);
    this.rebalance(groupId);
  }

  /** Resolves once the member's partitions were released and handed to the remaining members. */
  async leave(groupId: string, member: GroupMember): Promise<void> {
    const group = this.group(groupId);
    const index = group.members.indexOf(member);
    if (index < 0) return;
    group.members.splice(index, 1);
    await Promise.all(this.rebalance(groupId));
  }

  /**
   * Resolves when every partition owned by a member of any group has been processed up to its
   * end: the point where a unit test can assert on the effects of what it published. Never
   * resolves while a message keeps failing (use the test's timeout).
   */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.add(resolve);
      this.settleIdle();
    });
  }

  /**
   * Deals each topic's partitions round-robin to the members subscribed to it. Only partitions
   * that change owner are released; the new owner starts once the old one stopped.
   */
  private rebalance(groupId: string): Promise<void>[] {
    const group = this.group(groupId);
    const released: Promise<void>[] = [];
    const topics = new Set([...group.members.flatMap((m) => m.topics), ...[...group.claims.keys()].map(topicOf)]);
    for (const topic of topics) {
      const candidates = group.members.filter((m) => m.topics.includes(topic));
      for (let partition = 0; partition < this.partitions(topic); partition++) {
        const tp = `${topic}:${partition}`;
        const owner = candidates[partition % Math.max(candidates.length, 1)];
        const current = group.claims.get(tp);
        if (current && current.member === owner) continue;
        const done = current ? current.release() : Promise.resolve();
        released.push(done);
        if (owner) group.claims.set(tp, owner.claim(topic, partition, done));
        else group.claims.delete(tp);
      }
    }
    this.settleIdle();
    return released;
  }

  private settleIdle(): void {
    if (this.idleWaiters.size === 0) return;
    for (const [groupId, group] of this.groups) {
      for (const tp of group.claims.keys()) {
        const [topic, partition] = splitTp(tp);
        if (this.committed(groupId, topic, partition) < this.endOffset(topic, partition)) return;
      }
    }
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  private log(topic: string): StoredRecord[][] {
    const log = this.topics.get(topic);
    if (!log) {
      throw new MessagingError(
        MessagingErrorCodes.topicMisconfigured,
        `topic ${topic} does not exist; create it first (InMemoryBroker.createTopics(ALL_TOPICS))`,
        false,
      );
    }
    return log;
  }

  private group(id: string): ConsumerGroup {
    let group = this.groups.get(id);
    if (!group) {
      group = { committed: new Map(), members: [], claims: new Map() };
      this.groups.set(id, group);
    }
    return group;
  }
}

/** FNV-1a over the key's UTF-8 bytes: stable across runs and processes, unlike a seeded hash. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function topicOf(tp: string): string {
  return splitTp(tp)[0];
}

/** Kafka topic names cannot contain ':' (only letters, digits, '.', '_', '-'); the last one splits regardless. */
function splitTp(tp: string): [string, number] {
  const at = tp.lastIndexOf(':');
  return [tp.slice(0, at), Number(tp.slice(at + 1))];
}
