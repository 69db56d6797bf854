import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { IngressConfig } from '../config';
import { retryWhileBusy } from '../store/store-busy';
import { IDEMPOTENCY_CLAIMS, IDEMPOTENCY_RECORDS, INGRESS_CONFIG } from '../tokens';
import { decideIdempotency } from './idempotency.decide';
import type { IdempotencyRecord, StoredResponse } from './idempotency-record';

/** A claim on taking over one generation of a record; exists only to make the take-over atomic. */
export interface IdempotencyClaim {
  readonly _id: string;
  readonly expiresAt: string;
}

export type BeginResult =
  | { readonly kind: 'proceed'; readonly record: IdempotencyRecord }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'mismatch' };

/** Below the 30 s after which an in-flight record may be taken over. */
const COMPLETE_BUDGET_MS = 20_000;

const isDuplicateKey = (err: unknown) => (err as { code?: unknown } | null)?.code === 11000;

/**
 * Idempotency records in the ingress's own database. Every race is settled by insertOne of a
 * unique `_id`: creating a record, and taking one over (`${_id}#${generation}@${startedAt}` in
 * `idempotency_claims`: of two replicas taking over the same stale record, exactly one inserts
 * the claim). Updates go by `_id` only. Any replica can answer any retry. Every write is
 * retried while FerretDB reports the database busy (a write that failed so was not applied).
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @Inject(IDEMPOTENCY_RECORDS) private readonly records: Collection<IdempotencyRecord>,
    @Inject(IDEMPOTENCY_CLAIMS) private readonly claims: Collection<IdempotencyClaim>,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  async begin(subject: string, key: string, fingerprint: string, now = new Date()): Promise<BeginResult> {
    const id = `${subject}:${key}`;
    // Two rounds: a record created by a concurrent request between our read and our insert is read again.
    for (let round = 0; round < 2; round++) {
      const existing = await retryWhileBusy(() => this.records.findOne({ _id: id }));
      const decision = decideIdempotency(existing, fingerprint, now);
      switch (decision.kind) {
        case 'replay':
        case 'in-flight':
        case 'mismatch':
          return decision;
        case 'create': {
          const record = this.fresh(id, 1, fingerprint, now);
          try {
            await retryWhileBusy(() => this.records.insertOne(record));
            return { kind: 'proceed', record };
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
        }
        case 'take-over': {
          if (!existing) throw new Error('take-over without a record');
          const generation = existing.generation + 1;
          try {
            // Names the exact state taken over, so a claim left from a swept, older record never blocks.
            const claim = `${id}#${generation}@${existing.startedAt}`;
            await retryWhileBusy(() => this.claims.insertOne({ _id: claim, expiresAt: this.expiry(now) }));
          } catch (err) {
            if (isDuplicateKey(err)) return { kind: 'in-flight' }; // another replica is taking it over right now
            throw err;
          }
          const record: IdempotencyRecord = decision.reuseCommand
            ? { ...existing, generation, state: 'in-flight', startedAt: now.toISOString() }
            : this.fresh(id, generation, fingerprint, now);
          await retryWhileBusy(() => this.records.replaceOne({ _id: id }, record));
          return { kind: 'proceed', record };
        }
      }
    }
    return { kind: 'in-flight' };
  }

  /**
   * Worth waiting for: until it is written, retries of the request get 409 instead of the
   * replay. Under a burst of orders FerretDB can keep a write waiting for seconds (measured
   * with 200 orders at once: some completions were still busy after 5 s), hence the long budget.
   */
  async complete(record: IdempotencyRecord, response: StoredResponse): Promise<void> {
    await retryWhileBusy(
      () => this.records.updateOne({ _id: record._id }, { $set: { state: 'completed', response } }),
      COMPLETE_BUDGET_MS,
    );
  }

  /** Kafka refused the command: a retry with the same key may try again (with the same command). */
  async fail(record: IdempotencyRecord): Promise<void> {
    await retryWhileBusy(() => this.records.updateOne({ _id: record._id }, { $set: { state: 'failed' } }));
  }

  /**
   * FerretDB has no TTL indexes, so expired records and claims are deleted by a periodic
   * sweep. A record still matters until it expires; after that a retry starts afresh anyway.
   */
  async deleteExpired(now = new Date()): Promise<number> {
    const before = { expiresAt: { $lt: now.toISOString() } };
    const records = await this.records.deleteMany(before);
    const claims = await this.claims.deleteMany(before);
    return records.deletedCount + claims.deletedCount;
  }

  private fresh(id: string, generation: number, fingerprint: string, now: Date): IdempotencyRecord {
    return {
      _id: id,
      generation,
      fingerprint,
      state: 'in-flight',
      orderId: randomUUID(),
      commandId: randomUUID(),
      commandAt: now.toISOString(),
      startedAt: now.toISOString(),
      expiresAt: this.expiry(now),
    };
  }

  private expiry(now: Date): string {
    return new Date(now.getTime() + this.config.IDEMPOTENCY_TTL_SECONDS * 1000).toISOString();
  }
}
