import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Where the stack under test is. infra/local/run-tests.sh starts it on the default local ports
 * (or whatever BULWARK_* variables say) and exports these for the int/e2e/chaos tiers.
 */
export const stack = {
  api: process.env.BULWARK_API_URL ?? 'http://127.0.0.1:8080',
  control: `http://127.0.0.1:${process.env.BULWARK_CONTROL_PORT ?? 8070}`,
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092').split(','),
  mongoUrl: (db: string) => `mongodb://127.0.0.1:${process.env.BULWARK_MONGO_PORT ?? 27017}/${db}`,
  kafkaLibs: process.env.BULWARK_KAFKA_LIBS ?? '',
};

export interface ProcessStatus {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
  lastExit: string | null;
  endpoint: string | null;
  /** When the process entered its current state (ISO). */
  since: string;
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.control}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(240_000),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`supervisor ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export const supervisor = {
  status: () => control<{ processes: ProcessStatus[] }>('GET', '/status'),
  process: async (name: string) => {
    const found = (await supervisor.status()).processes.find((p) => p.name === name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  },
  scale: (app: string, replicas: number) => control<{ replicas: number }>('POST', '/scale', { app, replicas }),
  stop: (name: string) => control<ProcessStatus>('POST', `/processes/${name}/stop`),
  start: (name: string) => control<ProcessStatus>('POST', `/processes/${name}/start`),
  signal: (name: string, signal: string) => control<ProcessStatus>('POST', `/processes/${name}/signal`, { signal }),
  waitReady: (name: string, timeoutMs = 120_000) =>
    waitFor(`${name} ready`, async () => (await supervisor.process(name)).state === 'ready', timeoutMs),
};

/** Polls until `check` is truthy; the error names what was awaited and the last failure. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | false | null | undefined>,
  timeoutMs = 60_000,
  everyMs = 500,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

const run = promisify(execFile);

/** Runs one of Kafka's own CLI tools from the same jars as the brokers (a real peer, not our code). */
export async function kafkaTool(mainClass: string, args: readonly string[]): Promise<string> {
  if (!stack.kafkaLibs) throw new Error('BULWARK_KAFKA_LIBS is not set; run the tests through ./bulwark test');
  const { stdout } = await run(
    'java',
    [
      `-Dlog4j2.configurationFile=${resolve(__dirname, '../../infra/local/kafka/log4j2.properties')}`,
      '-cp',
      `${stack.kafkaLibs}/*`,
      mainClass,
      '--bootstrap-server',
      stack.brokers.join(','),
      ...args,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

export const KafkaTools = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  consumerGroups: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
} as const;

/** Parses `kafka-topics --describe` partition lines. */
export function parseTopicDescribe(out: string) {
  return out
    .split('\n')
    .filter((l) => /\bPartition:\s*\d+/.test(l))
    .map((l) => ({
      topic: /Topic:\s*(\S+)/.exec(l)?.[1] ?? '',
      partition: Number(/Partition:\s*(\d+)/.exec(l)?.[1]),
      leader: Number(/Leader:\s*(-?\d+)/.exec(l)?.[1]),
      replicas: (/Replicas:\s*([\d,]+)/.exec(l)?.[1] ?? '').split(',').filter(Boolean).map(Number),
      isr: (/Isr:\s*([\d,]+)/.exec(l)?.[1] ?? '').split(',').filter(Boolean).map(Number),
    }));
}

export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json: json as Record<string, unknown> | null, text };
}
