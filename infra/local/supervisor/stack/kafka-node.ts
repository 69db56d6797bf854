import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackConfig } from '../config/stack-config';
import type { ProcessSpec } from '../process/supervised-process';
import { tcpOpen } from './probes';

type KafkaNode = StackConfig['kafka']['nodes'][number];

const REPO_ROOT = resolve(__dirname, '../../../../..');

/**
 * server.properties for one combined broker+controller KRaft node on loopback.
 * Replication settings are the platform's guarantees (RF=3, min.insync.replicas=2, no unclean
 * election); the rest keeps three JVMs small enough to share two cores with the apps.
 */
export function kafkaProperties(config: StackConfig, node: KafkaNode): string {
  const voters = config.kafka.nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(node.dataDir, 'logs'),
    // Durability: every topic RF=3 and acks=all needs two in-sync copies.
    'default.replication.factor': 3,
    'min.insync.replicas': 2,
    'offsets.topic.replication.factor': 3,
    'transaction.state.log.replication.factor': 3,
    'transaction.state.log.min.isr': 2,
    'unclean.leader.election.enable': false,
    // Topics are created from libs/contracts declarations; auto-creation races under KRaft.
    'auto.create.topics.enable': false,
    // Small machine: few threads, small cleaner buffer (it sits on the heap), fast group joins.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'num.replica.fetchers': 1,
    'background.threads': 2,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 4 * 1024 * 1024,
    'offsets.topic.num.partitions': 12,
    'group.initial.rebalance.delay.ms': 0,
    'log.retention.hours': 168,
    'log.segment.bytes': 64 * 1024 * 1024,
    // A killed node is fenced by the controller within ~4 s (its partitions get new leaders)
    // and drops out of ISRs within ~5 s, so acks=all writes stall for seconds, not tens of them.
    // Lower values make ISRs flap when three JVMs and the apps compete for two cores.
    'broker.heartbeat.interval.ms': 1000,
    'broker.session.timeout.ms': 4000,
    'replica.lag.time.max.ms': 5000,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}

/** Formats the node's storage once; later starts reuse it (the data survives restarts). */
export function prepareKafkaNode(config: StackConfig, node: KafkaNode): string {
  mkdirSync(node.dataDir, { recursive: true });
  const propsFile = join(node.dataDir, 'server.properties');
  writeFileSync(propsFile, kafkaProperties(config, node));
  const clusterIdFile = join(config.dataDir, 'kafka-cluster-id');
  if (!existsSync(clusterIdFile)) {
    const id = execFileSync('java', ['-cp', classpath(config), 'kafka.tools.StorageTool', 'random-uuid'], {
      encoding: 'utf8',
      env: javaEnv(),
    })
      .trim()
      .split('\n')
      .pop();
    if (!id) throw new Error('kafka StorageTool random-uuid printed nothing');
    writeFileSync(clusterIdFile, `${id}\n`);
  }
  if (!existsSync(join(node.dataDir, 'logs', 'meta.properties'))) {
    const clusterId = readFileSync(clusterIdFile, 'utf8').trim();
    execFileSync(
      'java',
      ['-cp', classpath(config), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile, '--ignore-formatted'],
      { stdio: 'pipe', env: javaEnv() },
    );
  }
  return propsFile;
}

export function kafkaProcess(config: StackConfig, node: KafkaNode): ProcessSpec {
  const propsFile = prepareKafkaNode(config, node);
  return {
    name: node.name,
    command: 'java',
    args: [
      `-Xms${config.kafka.heap}`,
      `-Xmx${config.kafka.heap}`,
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'infra/local/kafka/log4j2.properties')}`,
      '-cp',
      classpath(config),
      'kafka.Kafka',
      propsFile,
    ],
    env: javaEnv(),
    ready: () => tcpOpen(node.brokerPort),
    stopTimeoutMs: 30_000,
    endpoint: `127.0.0.1:${node.brokerPort}`,
  };
}

export function classpath(config: StackConfig): string {
  return `${config.kafka.libs}/*`;
}

function javaEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KAFKA_LOG_LEVEL: process.env.KAFKA_LOG_LEVEL ?? 'WARN' };
}
