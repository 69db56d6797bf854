import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { FINAL_ORDER_STATUSES, type OrderStatus } from '@bulwark/contracts';
import { createKafka } from '@bulwark/messaging';
import { kafkaTool, KafkaTools, parseTopicDescribe, stack, waitFor } from './stack';

/**
 * Test support for the order saga (docs/adr/0005-order-saga.md), driven as a client would:
 * through HAProxy (`stack.api`), with development tokens. The apps are black boxes here; the
 * only other peers are Kafka (kafkajs, Kafka's own CLI) and the ingress read model's database.
 */

export const DECLINING_CARD = '4000000000000002';
export const GOOD_CARD = '4242424242424242';
/** Payments declines any amount above this (LIMIT_EXCEEDED). */
export const PAYMENT_LIMIT_CENTS = 100_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A short random suffix, so every test uses its own SKUs and customers and can rerun on one stack. */
export function suffix(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}
/** A fresh SKU (upper-case letters, digits and -; at most 40). */
export const newSku = (tag: string) => `T-${tag.toUpperCase()}-${suffix()}`.slice(0, 40);
/** A fresh customer id (letters, digits, _ and -). */
export const newCustomer = (tag: string) => `c-${tag}-${suffix().toLowerCase()}`;

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  json: T | null;
  text: string;
  /** Wall-clock duration of the request, ms. */
  ms: number;
}

export interface CallOptions {
  token?: string;
  /** A value to send as JSON (content-type application/json unless headers say otherwise). */
  body?: unknown;
  /** Sent as is, with the content type from `headers` (default application/json). */
  rawBody?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One HTTP call through the load balancer; never throws on an HTTP status. */
export async function call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const started = Date.now();
  const res = await fetch(`${stack.api}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: T | null = null;
  try {
    json = JSON.parse(text) as T;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text, ms: Date.now() - started } satisfies ApiResponse<T>;
}

/** The error body's code, or a readable description of what came back instead. */
export function errorCode(res: ApiResponse<unknown>): string {
  const code = (res.json as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : `<no error code: ${res.status} ${res.text.slice(0, 200)}>`;
}

// ---------------------------------------------------------------------------------------------
// Tokens

const tokenCache = new Map<string, string>();

/** A development token from POST /api/dev/tokens (DEV_TOKENS=true on the local stack). */
export async function devToken(role: 'customer' | 'admin', sub: string): Promise<string> {
  const cached = tokenCache.get(`${role}:${sub}`);
  if (cached) return cached;
  const res = await call<{ token: string; sub: string; role: string; expiresAt: string }>('POST', '/api/dev/tokens', {
    body: { role, sub },
  });
  if (res.status !== 200 || typeof res.json?.token !== 'string') {
    throw new Error(`POST /api/dev/tokens {role: ${role}, sub: ${sub}} answered ${res.status}: ${res.text}`);
  }
  tokenCache.set(`${role}:${sub}`, res.json.token);
  return res.json.token;
}

export const customerToken = (sub: string) => devToken('customer', sub);
export const adminToken = () => devToken('admin', 'e2e-ops');

// ---------------------------------------------------------------------------------------------
// Orders

export interface OrderLine {
  sku: string;
  quantity: number;
}
export interface PlaceOrderBody {
  lines: OrderLine[];
  payment: { cardNumber: string };
}
export interface CommandAccepted {
  orderId: string;
  commandId: string;
  status: OrderStatus;
  links: { self: string; events: string };
}
export interface OrderStatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
  detail?: string;
}
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  amountCents?: number;
  reason?: string;
  detail?: string;
  placedAt: string;
  updatedAt: string;
  history: OrderStatusChange[];
}
export interface StockView {
  sku: string;
  available: number;
  reserved: number;
  priceCents: number;
  updatedAt: string;
}

export const orderBody = (lines: OrderLine[], cardNumber = GOOD_CARD): PlaceOrderBody => ({
  lines,
  payment: { cardNumber },
});

export interface PlaceOptions {
  /** Idempotency-Key; a fresh one unless given. `null` sends none. */
  key?: string | null;
  /** `Prefer: wait=N`. */
  waitSeconds?: number;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** POST /api/orders with an Idempotency-Key (fresh unless given). */
export function placeOrder(token: string, body: unknown, options: PlaceOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? randomUUID() : options.key;
  if (key !== null) headers['idempotency-key'] = key;
  if (options.waitSeconds !== undefined) headers.prefer = `wait=${options.waitSeconds}`;
  return call<CommandAccepted & OrderView>('POST', '/api/orders', { token, body, headers, timeoutMs: options.timeoutMs });
}

/** Places an order and insists on the 202; returns the accepted command. */
export async function placeAccepted(token: string, body: PlaceOrderBody): Promise<CommandAccepted> {
  const res = await placeOrder(token, body);
  if (res.status !== 202 || !res.json?.orderId) {
    throw new Error(`POST /api/orders ${JSON.stringify(body)} answered ${res.status}: ${res.text}`);
  }
  return res.json;
}

export const getOrder = (token: string, orderId: string) => call<OrderView>('GET', `/api/orders/${orderId}`, { token });

export const isFinal = (status: string | undefined) => FINAL_ORDER_STATUSES.includes(status as OrderStatus);

/** Polls GET /api/orders/{id} (404 tolerated: the read model may not have it yet) until final. */
export async function waitForFinal(token: string, orderId: string, timeoutMs = 60_000): Promise<OrderView> {
  let last = 'never answered';
  try {
    return await waitFor(
      `order ${orderId} final`,
      async () => {
        const res = await getOrder(token, orderId);
        last = `${res.status} ${res.json?.status ?? res.text.slice(0, 200)}`;
        return res.status === 200 && res.json && isFinal(res.json.status) ? res.json : null;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (last answer: ${last})`);
  }
}

/** Runs `fn` over `items` with at most `limit` calls at a time; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Places an order (202) and waits for its final view. */
export async function placeAndSettle(token: string, body: PlaceOrderBody, timeoutMs = 60_000) {
  const accepted = await placeAccepted(token, body);
  return waitForFinal(token, accepted.orderId, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// Inventory

export const getStock = (token: string, sku: string) => call<StockView>('GET', `/api/inventory/${sku}`, { token });

/** Polls GET /api/inventory/{sku} until `check` holds for the view. */
export async function waitForStock(
  token: string,
  sku: string,
  what: string,
  check: (view: StockView) => boolean,
  timeoutMs = 60_000,
): Promise<StockView> {
  let last = 'never answered';
  try {
    return await waitFor(
      `${sku}: ${what}`,
      async () => {
        const res = await getStock(token, sku);
        last = `${res.status} ${res.text.slice(0, 200)}`;
        return res.status === 200 && res.json && check(res.json) ? res.json : null;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (last answer: ${last})`);
  }
}

/** Waits until the read model shows exactly `available` free units of `sku`. */
export const waitForAvailable = (token: string, sku: string, available: number, timeoutMs = 60_000) =>
  waitForStock(token, sku, `available = ${available}`, (v) => v.available === available, timeoutMs);

/** PUT /api/inventory/{sku} as admin (202), then waits until the read model shows the level and price. */
export async function restock(sku: string, available: number, priceCents: number, timeoutMs = 60_000): Promise<StockView> {
  const admin = await adminToken();
  const res = await call('PUT', `/api/inventory/${sku}`, { token: admin, body: { available, priceCents } });
  if (res.status !== 202) throw new Error(`PUT /api/inventory/${sku} answered ${res.status}: ${res.text}`);
  return waitForStock(
    admin,
    sku,
    `available = ${available} at ${priceCents} cents`,
    (v) => v.available === available && v.priceCents === priceCents,
    timeoutMs,
  );
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Parses a text/event-stream body (WHATWG rules: fields, multi-line data, comments, CRLF). */
export class SseParser {
  private buffer = '';
  private current: { event?: string; id?: string; data: string[] } = { data: [] };

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (this.current.data.length > 0) {
          out.push({ event: this.current.event ?? 'message', id: this.current.id, data: this.current.data.join('\n') });
        }
        this.current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.current.data.push(value);
      else if (field === 'event') this.current.event = value;
      else if (field === 'id') this.current.id = value;
    }
    return out;
  }
}

export interface SseResult {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  /** The server closed the stream (rather than our deadline cutting it). */
  ended: boolean;
  /** ms from the request to each event. */
  arrivals: number[];
}

/** Reads a whole event stream with fetch until the server ends it or `timeoutMs` passes. */
export async function readEventStream(path: string, headers: Record<string, string>, timeoutMs = 60_000): Promise<SseResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = Date.now();
  const events: SseEvent[] = [];
  const arrivals: number[] = [];
  try {
    const res = await fetch(`${stack.api}${path}`, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const contentType = res.headers.get('content-type');
    if (res.status !== 200 || !res.body) {
      return { status: res.status, contentType, events, ended: true, arrivals };
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let ended = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          break;
        }
        for (const e of parser.push(decoder.decode(value, { stream: true }))) {
          events.push(e);
          arrivals.push(Date.now() - started);
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
    return { status: res.status, contentType, events, ended, arrivals };
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Kafka

let kafkaClient: Kafka | null = null;
function kafka(): Kafka {
  kafkaClient ??= createKafka({ brokers: stack.brokers, clientId: `orders-e2e-${suffix()}` });
  return kafkaClient;
}

/** End offset (high watermark) per partition, as Kafka's admin API reports it. */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

export const sumOffsets = (offsets: Map<number, number>) => [...offsets.values()].reduce((a, b) => a + b, 0);

export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Every record of `topic` from `from` (per partition; default the earliest) up to the end
 * offsets at the time of the call, read with a throw-away consumer group that commits nothing.
 */
export async function readTopic(topic: string, from?: Map<number, number>, timeoutMs = 60_000): Promise<TopicRecord[]> {
  const admin = kafka().admin();
  await admin.connect();
  let bounds: { partition: number; low: number; high: number }[];
  try {
    bounds = (await admin.fetchTopicOffsets(topic)).map((o) => ({
      partition: o.partition,
      low: Math.max(Number(o.low), from?.get(o.partition) ?? 0),
      high: Number(o.high),
    }));
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(bounds.filter((b) => b.high > b.low).map((b) => [b.partition, b]));
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;

  const consumer = kafka().consumer({ groupId: `orders-e2e-reader-${randomUUID()}`, sessionTimeout: 10_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const bound = pending.get(batch.partition);
        if (!bound) return;
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset < bound.low || offset >= bound.high) continue;
          records.push({
            partition: batch.partition,
            offset,
            key: m.key?.toString() ?? null,
            value: m.value?.toString() ?? null,
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v ?? '')])),
          });
        }
        if (Number(batch.lastOffset()) + 1 >= bound.high) pending.delete(batch.partition);
      },
    });
    for (const b of bounds) consumer.seek({ topic, partition: b.partition, offset: String(b.low) });
    await waitFor(
      `${topic} read to its end offsets (${pending.size} partitions left)`,
      async () => pending.size === 0,
      timeoutMs,
      200,
    );
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Parses a record's JSON envelope; null for anything else. */
export function envelopeOf(record: TopicRecord): { type: string; id: string; key: string; data: Record<string, unknown> } | null {
  if (!record.value) return null;
  try {
    return JSON.parse(record.value) as { type: string; id: string; key: string; data: Record<string, unknown> };
  } catch {
    return null;
  }
}

/** The dead-letter topics of the saga's consumer groups (`<group>.dlq`). */
export const SAGA_DEAD_LETTER_TOPICS = ['orders.dlq', 'inventory.dlq', 'payments.dlq', 'ingress.projection.dlq'] as const;

export interface DeadLetter {
  topic: string;
  key: string | null;
  type: string | undefined;
  origin: string;
  error: string;
}

/** Dead-lettered messages whose key is one of `keys` (order ids, SKUs); a topic not created yet holds none. */
export async function deadLettersFor(keys: ReadonlySet<string>): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  for (const topic of SAGA_DEAD_LETTER_TOPICS) {
    const records = await readTopic(topic).catch(() => [] as TopicRecord[]);
    for (const r of records) {
      if (r.key === null || !keys.has(r.key)) continue;
      found.push({
        topic,
        key: r.key,
        type: envelopeOf(r)?.type,
        origin: `${r.headers['bulwark-dlq-origin-topic']}:${r.headers['bulwark-dlq-origin-partition']}@${r.headers['bulwark-dlq-origin-offset']}`,
        error: r.headers['bulwark-dlq-error-message'] ?? '',
      });
    }
  }
  return found;
}

/** The saga's topics: every partition must have 3 in-sync replicas for a healthy stack. */
export const ORDER_SAGA_TOPICS = [
  'orders.commands',
  'orders.events',
  'inventory.commands',
  'inventory.events',
  'inventory.stock',
  'payments.commands',
  'payments.events',
] as const;

export async function sagaIsrFull(): Promise<boolean> {
  const out = await kafkaTool(KafkaTools.topics, ['--describe', '--topic', ORDER_SAGA_TOPICS.join('|')]);
  const partitions = parseTopicDescribe(out);
  const topics = new Set(partitions.map((p) => p.topic));
  return ORDER_SAGA_TOPICS.every((t) => topics.has(t)) && partitions.every((p) => p.isr.length === 3);
}

/** A consumer group's lag as Kafka's own tool reports it: the sum, and non-empty partitions with no committed offset. */
export async function groupLag(group: string): Promise<{ lag: number; unknown: number; partitions: number }> {
  const out = await kafkaTool(KafkaTools.consumerGroups, ['--describe', '--group', group]);
  let lag = 0;
  let unknown = 0;
  let partitions = 0;
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] !== group || cols.length < 6) continue;
    partitions++;
    const [current, end, value] = [cols[3] ?? '-', cols[4] ?? '-', cols[5] ?? '-'];
    if (/^\d+$/.test(value)) lag += Number(value);
    // No committed offset is only a gap when the partition holds something.
    else if (!(current === '-' && end === '0')) unknown++;
  }
  return { lag, unknown, partitions };
}

// ---------------------------------------------------------------------------------------------
// The ingress read model

export const READ_MODEL_COLLECTIONS = ['order_views', 'stock_views'] as const;

/** JSON with object keys sorted, so equal documents always serialise to equal bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const plain = value as Record<string, unknown>;
  if (typeof (plain as { toHexString?: unknown }).toHexString === 'function') {
    return JSON.stringify((plain as { toHexString: () => string }).toHexString());
  }
  const keys = Object.keys(plain).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(plain[k])}`).join(',')}}`;
}

export interface ReadModelSnapshot {
  hash: string;
  counts: Record<string, number>;
  docs: Record<string, Map<string, string>>;
}

export class ReadModel {
  private readonly client = new MongoClient(stack.mongoUrl('ingress'), { serverSelectionTimeoutMS: 5000, retryWrites: false });

  collection(name: (typeof READ_MODEL_COLLECTIONS)[number]) {
    return this.client.db('ingress').collection<{ _id: string }>(name);
  }

  /**
   * Both view collections: SHA-256 over the documents sorted by _id as canonical JSON, the
   * counts, and each document's canonical JSON by collection and _id (for a precise diff).
   */
  async snapshot(): Promise<ReadModelSnapshot> {
    const sha = createHash('sha256');
    const counts: Record<string, number> = {};
    const docs: Record<string, Map<string, string>> = {};
    for (const name of READ_MODEL_COLLECTIONS) {
      const found = await this.collection(name).find({}).toArray();
      const byId = new Map(found.map((d) => [String(d._id), canonicalJson(d)] as const));
      const ids = [...byId.keys()].sort();
      counts[name] = ids.length;
      docs[name] = byId;
      sha.update(`${name}\n`);
      for (const id of ids) sha.update(`${byId.get(id)}\n`);
    }
    return { hash: sha.digest('hex'), counts, docs };
  }

  async clear(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const name of READ_MODEL_COLLECTIONS) deleted[name] = (await this.collection(name).deleteMany({})).deletedCount;
    return deleted;
  }

  close() {
    return this.client.close();
  }
}
