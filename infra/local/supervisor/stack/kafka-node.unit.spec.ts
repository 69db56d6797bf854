import { REPLICATION } from '@bulwark/contracts';
import { loadStackConfig, type StackConfig } from '../config/stack-config';
import { kafkaProperties } from './kafka-node';

const config: StackConfig = loadStackConfig({
  BULWARK_KAFKA_LIBS: 'unused',
  BULWARK_FERRETDB_BIN: 'unused',
  // kafkaProperties only names paths under it; nothing is created.
  BULWARK_DATA_DIR: '/nonexistent/bulwark-data',
});
const nodes = config.kafka.nodes;

/** server.properties as a map; fails on a malformed or repeated key, which Kafka would not report. */
function parseProperties(text: string): Map<string, string> {
  if (!text.endsWith('\n')) throw new Error('server.properties does not end with a newline');
  const props = new Map<string, string>();
  for (const line of text.trimEnd().split('\n')) {
    const match = /^([a-z0-9.]+)=(.*)$/.exec(line);
    if (!match?.[1]) throw new Error(`not a key=value line: ${line}`);
    if (props.has(match[1])) throw new Error(`${match[1]} is set twice`);
    props.set(match[1], match[2] ?? '');
  }
  return props;
}

const propsOf = nodes.map((node) => parseProperties(kafkaProperties(config, node)));

describe('kafkaProperties', () => {
  it('is generated for three nodes', () => {
    expect(propsOf).toHaveLength(3);
  });

  describe.each(nodes.map((node, i) => ({ name: node.name, node, props: propsOf[i]! })))('$name', ({ node, props }) => {
    it('keeps the durability guarantees: RF 3, min.insync 2, no unclean election', () => {
      expect(props.get('default.replication.factor')).toBe('3');
      expect(props.get('min.insync.replicas')).toBe('2');
      expect(props.get('unclean.leader.election.enable')).toBe('false');
    });

    it('agrees with the REPLICATION that libs/contracts creates topics with', () => {
      expect(props.get('default.replication.factor')).toBe(String(REPLICATION.replicationFactor));
      expect(props.get('min.insync.replicas')).toBe(String(REPLICATION.minInsyncReplicas));
      expect(props.get('unclean.leader.election.enable')).toBe(String(REPLICATION.uncleanLeaderElection));
    });

    it('replicates its internal topics (offsets, transactions) just as durably', () => {
      expect(props.get('offsets.topic.replication.factor')).toBe('3');
      expect(props.get('transaction.state.log.replication.factor')).toBe('3');
      expect(props.get('transaction.state.log.min.isr')).toBe('2');
    });

    it('never auto-creates topics (they come from libs/contracts)', () => {
      expect(props.get('auto.create.topics.enable')).toBe('false');
    });

    it('is a combined broker+controller with its own id, listeners and log dir', () => {
      expect(props.get('process.roles')).toBe('broker,controller');
      expect(props.get('node.id')).toBe(String(node.id));
      expect(props.get('listeners')).toBe(
        `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      );
      expect(props.get('advertised.listeners')).toBe(`PLAINTEXT://127.0.0.1:${node.brokerPort}`);
      expect(props.get('controller.listener.names')).toBe('CONTROLLER');
      expect(props.get('log.dirs')?.startsWith(`${node.dataDir}/`)).toBe(true);
    });

    it('lists all three nodes as controller quorum voters', () => {
      expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093');
    });
  });

  it('gives the nodes pairwise distinct ids, listener ports and log dirs', () => {
    const listenerPorts = propsOf.flatMap((p) => [...(p.get('listeners') ?? '').matchAll(/:(\d+)/g)].map((m) => m[1]));
    const distinct = (values: readonly unknown[]) => new Set(values).size === values.length;

    expect(listenerPorts).toHaveLength(6);
    expect(distinct(listenerPorts)).toBe(true);
    expect(distinct(propsOf.map((p) => p.get('node.id')))).toBe(true);
    expect(distinct(propsOf.map((p) => p.get('log.dirs')))).toBe(true);
  });

  it('derives the voters from the configured ports, not fixed ones', () => {
    const moved = loadStackConfig({
      BULWARK_KAFKA_LIBS: 'unused',
      BULWARK_FERRETDB_BIN: 'unused',
      BULWARK_KAFKA_PORTS: '9092,9192,9292',
    });

    const props = parseProperties(kafkaProperties(moved, moved.kafka.nodes[1]!));

    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193');
  });
});
