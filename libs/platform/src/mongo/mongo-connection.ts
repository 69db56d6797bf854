import mongoose, { type Connection } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { fail, ok, type Check } from '../health/health-checks';

/**
 * One mongoose connection per app, to the app's own database. Short server selection so a
 * store outage shows up in readiness within seconds instead of hanging requests.
 */
export async function connectMongo(url: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 3000,
    connectTimeoutMS: 3000,
    maxPoolSize: 10,
    // FerretDB has no retryable writes (they need sessions); real MongoDB does not need them here.
    retryWrites: false,
  });
  await connection.asPromise();
  return connection;
}

export function mongoReadiness(connection: Connection): Check {
  return async () => {
    const db = connection.db;
    if (!db) return fail('not connected');
    await db.command({ ping: 1 });
    return ok;
  };
}

export const MONGO_CONNECTION = Symbol('bulwark.MongoConnection');

/** The driver's own typed collection (what the inbox/outbox helpers and projections use). */
export function nativeCollection<T extends Document>(connection: Connection, name: string): Collection<T> {
  const db = connection.db;
  if (!db) throw new Error(`MongoDB connection not open; cannot get collection ${name}`);
  return db.collection<T>(name);
}

/** What the connected MongoDB-API server can do that the inbox/outbox helpers care about. */
export interface StoreCapabilities {
  /** Conditional single-document writes that are atomic and use the _id index (real MongoDB). */
  readonly compareAndSet: boolean;
  readonly server: string;
}

/**
 * FerretDB answers buildInfo with a `ferretdbVersion`. Its SQLite backend only pushes a filter
 * of exactly `{_id}` down to SQL, so a version-conditioned write scans the collection.
 */
export async function storeCapabilities(connection: Connection): Promise<StoreCapabilities> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection not open');
  const info = (await db.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  return info.ferretdbVersion
    ? { compareAndSet: false, server: `FerretDB ${info.ferretdbVersion}` }
    : { compareAndSet: true, server: `MongoDB ${info.version ?? '?'}` };
}
