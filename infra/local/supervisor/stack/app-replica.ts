import { resolve } from 'node:path';
import { kafkaBrokers, mongoUrl, type StackConfig } from '../config/stack-config';
import type { ProcessSpec } from '../process/supervised-process';
import { httpOk } from './probes';

type App = StackConfig['apps'][number];

const REPO_ROOT = resolve(__dirname, '../../../../..');

/** A replica of a Node app, on the supervisor's own Node (process.execPath: Node 24). */
export function appReplicaProcess(config: StackConfig, app: App, replica: number): ProcessSpec {
  const port = app.portOf(replica);
  return {
    name: `${app.spec.name}-${replica}`,
    command: process.execPath,
    // kafkajs 2.2.4 passes negative timeouts to setTimeout; Node 24 warns on each (harmless: clamped to 1 ms).
    args: [
      '--enable-source-maps',
      '--disable-warning=TimeoutNegativeWarning',
      resolve(REPO_ROOT, app.spec.entry),
      `--stack=${config.dataDir}`,
    ],
    // (--stack is ignored by the app; it lets `ps` and the tests tell which stack a replica belongs to.)
    cwd: REPO_ROOT,
    env: {
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      NO_COLOR: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      BULWARK_APP: app.spec.name,
      BULWARK_REPLICA: String(replica),
      KAFKA_BROKERS: kafkaBrokers(config).join(','),
      MONGO_URL: mongoUrl(config, app.spec.database),
      ...app.spec.env,
    },
    ready: () => httpOk(`http://127.0.0.1:${port}/health/ready`),
    stopTimeoutMs: 20_000,
    endpoint: `http://127.0.0.1:${port}`,
  };
}
