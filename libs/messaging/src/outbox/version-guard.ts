import type { Collection } from 'mongodb';

/**
 * The index by which an aggregate collection asks the local store for its version guard: on
 * FerretDB (SQLite) our wrapper then installs a trigger that refuses, inside the write itself,
 * an update that would lower a document's `version`, or keep it while changing the `inbox` (a
 * different message applied on the same base). That is the conditional write FerretDB lacks:
 * a replica frozen between reading an aggregate and writing it, resumed after its partitions
 * moved, gets an error instead of overwriting the new owner's state. On MongoDB the write is
 * conditioned on the version anyway, and the index is only an index.
 * See infra/local/ferretdb/upkeep.go and docs/adr/0004-messaging-runtime.md.
 */
export const VERSION_GUARD_INDEX = 'bulwark_version_guard';

/** What the guard's refusal says (kept in step with StaleWriteMarker in upkeep.go). */
const STALE_WRITE = 'bulwark: stale write';

/** Asks for the guard; call before the consumer starts (the store installs it within a second). */
export async function ensureVersionGuard(collection: Pick<Collection, 'createIndex'>): Promise<void> {
  await collection.createIndex({ version: 1 }, { name: VERSION_GUARD_INDEX });
}

/** The store refused a write computed from a document that has changed since: read it again. */
export function isStaleWrite(err: unknown): boolean {
  return err instanceof Error && err.message.includes(STALE_WRITE);
}
