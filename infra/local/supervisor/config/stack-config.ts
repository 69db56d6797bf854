import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '@bulwark/platform';
import { APP_CATALOG } from '../stack/app-catalog';

/**
 * Everything the local stack can be told, read from the environment once at start-up.
 * Ports follow ARCHITECTURE.md: HAProxy 8080, Kafka 19092/29092/39092 (controllers +1),
 * MongoDB API 27017. A bad value stops the supervisor with the variable's name.
 */
const port = z.coerce.number().int().min(1).max(65535);
export const MAX_REPLICAS = 12;
const replicas = z.coerce.number().int().min(0).max(MAX_REPLICAS);

const schema = z.object({
  BULWARK_DATA_DIR: z.string().default('.data/local'),
  BULWARK_CACHE_DIR: z.string().default(resolve(homedir(), '.cache/bulwark')),
  BULWARK_KAFKA_LIBS: z.string().min(1, 'run infra/local/provision.sh first'),
  BULWARK_KAFKA_VERSION: z.string().default('4.1.1'),
  BULWARK_FERRETDB_BIN: z.string().min(1, 'run infra/local/provision.sh first'),
  BULWARK_HAPROXY_BIN: z.string().default('haproxy'),
  BULWARK_HTTP_PORT: port.default(8080),
  BULWARK_HAPROXY_STATS_PORT: port.default(8404),
  BULWARK_CONTROL_PORT: port.default(8070),
  BULWARK_KAFKA_PORTS: z
    .string()
    .default('19092,29092,39092')
    .transform((s) => s.split(',').map((p) => Number(p.trim())))
    .pipe(
      z
        .array(z.number().int().min(1).max(65534))
        .length(3, 'exactly three Kafka broker ports')
        // Each node also takes its broker port + 1 for its controller listener.
        .refine((ports) => new Set(ports.flatMap((p) => [p, p + 1])).size === 6, 'ports and ports + 1 must all differ'),
    ),
  BULWARK_KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mMgG]$/)
    .default('320m'),
  BULWARK_MONGO_PORT: port.default(27017),
  /** App replica ports: replica r of an app listens on base + the app's portOffset (catalog) + r. */
  BULWARK_APP_BASE_PORT: port.default(3000),
  /** HAProxy gets one server slot per possible edge replica; absent ones are simply DOWN. */
  BULWARK_EDGE_MAX_REPLICAS: z.coerce.number().int().min(1).max(MAX_REPLICAS).default(6),
  BULWARK_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(96).optional(),
});

export type StackConfig = ReturnType<typeof loadStackConfig>;

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env) {
  const raw = parseConfig(schema, env);
  const replicaSchema = z.object(
    Object.fromEntries(APP_CATALOG.map((a) => [replicasVariable(a.name), replicas.default(a.defaultReplicas)])),
  );
  const wanted = parseConfig(replicaSchema, env) as Record<string, number>;
  const dataDir = resolve(raw.BULWARK_DATA_DIR);
  return {
    dataDir,
    runDir: resolve(dataDir, 'run'),
    kafka: {
      libs: raw.BULWARK_KAFKA_LIBS,
      version: raw.BULWARK_KAFKA_VERSION,
      heap: raw.BULWARK_KAFKA_HEAP,
      nodes: raw.BULWARK_KAFKA_PORTS.map((brokerPort, i) => ({
        id: i + 1,
        name: `kafka-${i + 1}`,
        brokerPort,
        controllerPort: brokerPort + 1,
        dataDir: resolve(dataDir, `kafka-${i + 1}`),
      })),
    },
    mongo: { port: raw.BULWARK_MONGO_PORT, bin: raw.BULWARK_FERRETDB_BIN, dataDir: resolve(dataDir, 'ferretdb') },
    haproxy: {
      bin: raw.BULWARK_HAPROXY_BIN,
      port: raw.BULWARK_HTTP_PORT,
      statsPort: raw.BULWARK_HAPROXY_STATS_PORT,
    },
    controlPort: raw.BULWARK_CONTROL_PORT,
    topicPartitions: raw.BULWARK_TOPIC_PARTITIONS,
    apps: APP_CATALOG.map((spec) => ({
      spec,
      replicas: wanted[replicasVariable(spec.name)] ?? spec.defaultReplicas,
      maxReplicas: spec.role === 'edge' ? raw.BULWARK_EDGE_MAX_REPLICAS : MAX_REPLICAS,
      /** Port of replica r (1-based). */
      portOf: (replica: number) => raw.BULWARK_APP_BASE_PORT + spec.portOffset + replica,
    })),
  };
}

export function kafkaBrokers(config: StackConfig): string[] {
  return config.kafka.nodes.map((n) => `127.0.0.1:${n.brokerPort}`);
}

export function mongoUrl(config: StackConfig, database: string): string {
  return `mongodb://127.0.0.1:${config.mongo.port}/${database}`;
}

export function replicasVariable(app: string): string {
  return `BULWARK_REPLICAS_${app.toUpperCase().replace(/-/g, '_')}`;
}
