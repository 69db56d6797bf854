import { ConfigError } from '@bulwark/platform';
import { resolve } from 'node:path';
import { APP_CATALOG } from '../stack/app-catalog';
import { kafkaBrokers, loadStackConfig, MAX_REPLICAS, replicasVariable, type StackConfig } from './stack-config';

// The two variables provision.sh normally writes; without them loading fails by design.
const PROVISIONED = { BULWARK_KAFKA_LIBS: '/opt/kafka/libs', BULWARK_FERRETDB_BIN: '/opt/ferretdb/bin/ferretdb' };

function app(config: StackConfig, name: string) {
  const found = config.apps.find((a) => a.spec.name === name);
  if (!found) throw new Error(`no app ${name} in the loaded config`);
  return found;
}

/** The ConfigError that loading `env` throws; fails the test if loading succeeds. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadStackConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadStackConfig to throw a ConfigError');
}

describe('loadStackConfig', () => {
  describe('defaults (ARCHITECTURE.md ports)', () => {
    const config = loadStackConfig({ ...PROVISIONED });

    it('puts HAProxy on 8080 and the MongoDB API on 27017', () => {
      expect(config.haproxy.port).toBe(8080);
      expect(config.mongo.port).toBe(27017);
    });

    it('runs three Kafka nodes on 19092/29092/39092 with each controller one port up', () => {
      expect(config.kafka.nodes.map((n) => [n.id, n.name, n.brokerPort, n.controllerPort])).toEqual([
        [1, 'kafka-1', 19092, 19093],
        [2, 'kafka-2', 29092, 29093],
        [3, 'kafka-3', 39092, 39093],
      ]);
      expect(kafkaBrokers(config)).toEqual(['127.0.0.1:19092', '127.0.0.1:29092', '127.0.0.1:39092']);
    });

    it('runs each catalog app at its default replica count', () => {
      expect(config.apps.map((a) => [a.spec.name, a.replicas])).toEqual(APP_CATALOG.map((a) => [a.name, a.defaultReplicas]));
    });

    it('keeps data under .data/local, resolved to an absolute path', () => {
      expect(config.dataDir).toBe(resolve('.data/local'));
      expect(config.kafka.nodes[0]?.dataDir).toBe(resolve('.data/local/kafka-1'));
    });
  });

  it('reads replica counts from BULWARK_REPLICAS_<APP>, leaving other apps at their default', () => {
    const config = loadStackConfig({ ...PROVISIONED, BULWARK_REPLICAS_ECHO: '3' });

    expect(app(config, 'echo').replicas).toBe(3);
    const ingress = APP_CATALOG.find((a) => a.name === 'ingress');
    expect(app(config, 'ingress').replicas).toBe(ingress?.defaultReplicas);
  });

  it('names replica variables after the app, dashes as underscores', () => {
    expect(replicasVariable('echo')).toBe('BULWARK_REPLICAS_ECHO');
    expect(replicasVariable('order-saga')).toBe('BULWARK_REPLICAS_ORDER_SAGA');
  });

  it('gives every replica of every app its own port', () => {
    const config = loadStackConfig({ ...PROVISIONED });
    const ports = config.apps.flatMap((a) => Array.from({ length: a.maxReplicas }, (_, i) => a.portOf(i + 1)));

    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives the edge app BULWARK_EDGE_MAX_REPLICAS server slots and services the replica limit', () => {
    const config = loadStackConfig({ ...PROVISIONED, BULWARK_EDGE_MAX_REPLICAS: '4' });

    expect(app(config, 'ingress').maxReplicas).toBe(4);
    expect(app(config, 'echo').maxReplicas).toBe(MAX_REPLICAS);
  });

  describe('rejects a bad value with the variable named in the message', () => {
    it.each([
      ['a port that is not a number', { BULWARK_HTTP_PORT: 'abc' }, 'BULWARK_HTTP_PORT'],
      ['a port out of range', { BULWARK_MONGO_PORT: '70000' }, 'BULWARK_MONGO_PORT'],
      ['two Kafka ports instead of three', { BULWARK_KAFKA_PORTS: '19092,29092' }, 'BULWARK_KAFKA_PORTS'],
      ['a Kafka port that is not a number', { BULWARK_KAFKA_PORTS: '19092,x,39092' }, 'BULWARK_KAFKA_PORTS'],
      ['a replica count above the limit', { BULWARK_REPLICAS_ECHO: String(MAX_REPLICAS + 1) }, 'BULWARK_REPLICAS_ECHO'],
      ['a negative replica count', { BULWARK_REPLICAS_INGRESS: '-1' }, 'BULWARK_REPLICAS_INGRESS'],
      ['a malformed JVM heap', { BULWARK_KAFKA_HEAP: '320' }, 'BULWARK_KAFKA_HEAP'],
    ])('%s', (_case, bad, variable) => {
      const err = configErrorFor({ ...PROVISIONED, ...bad });

      expect(err.message).toContain(variable);
      expect(err.code).toBe('BLW_CONFIG_INVALID');
      expect(err.retriable).toBe(false);
    });

    it('a missing provisioned path, telling the user to run provision.sh', () => {
      const err = configErrorFor({ BULWARK_FERRETDB_BIN: PROVISIONED.BULWARK_FERRETDB_BIN, BULWARK_KAFKA_LIBS: '' });

      expect(err.message).toMatch(/BULWARK_KAFKA_LIBS: .*provision\.sh/);
    });
  });
});
