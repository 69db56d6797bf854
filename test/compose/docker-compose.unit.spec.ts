import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { ALL_TOPICS, REPLICATION } from '../../libs/contracts/src';
import { APP_CATALOG } from '../../infra/local/supervisor/stack/app-catalog';
import { kafkaProperties } from '../../infra/local/supervisor/stack/kafka-node';
import type { StackConfig } from '../../infra/local/supervisor/config/stack-config';

/**
 * docker-compose.yml cannot be started here (no Docker engine), so this checks what can be
 * checked without one: the file against the Compose Specification, its topology against the
 * project's own declarations (topics, apps, Kafka durability settings of the local stack),
 * the topic script by running it against a stub, and the HAProxy config with `haproxy -c`.
 */

const ROOT = resolve(__dirname, '../..');
const DOCKER_DIR = join(ROOT, 'infra/docker');

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: (string | { target: number; published?: string | number; host_ip?: string })[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Compose resolves `<<` merge keys (used for the shared Kafka/Mongo/app blocks); so must we.
const readCompose = (): ComposeFile =>
  parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;

function service(compose: ComposeFile, name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

const env = (svc: Service, key: string): string => String(svc.environment?.[key]);

function publishedPorts(svc: Service): number[] {
  return (svc.ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.published);
    // "[ip:]host:container" — the host port is the second-to-last field.
    const parts = p.split(':');
    return Number(parts[parts.length - 2]);
  });
}

describe('docker-compose.yml against the Compose Specification', () => {
  // dclint ships the official compose-spec.json (as schemas/compose.schema.json) but does not
  // export that path, so it is read from the package folder rather than required.
  const schemaFile = join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  // The schema names draft-07 by its https alias, which Ajv does not register; Ajv's default
  // dialect is draft-07 anyway, so the pointer is dropped rather than a meta-schema duplicated.
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it('is valid', () => {
    const ok = validate(readCompose());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a broken file (the check has teeth)', () => {
    const broken = readCompose();
    (service(broken, 'haproxy') as Record<string, unknown>).ports = 8080;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/services/haproxy/ports')).toBe(true);
  });
});

describe('docker-compose.yml topology matches the local stack', () => {
  const compose = readCompose();
  const kafkaNodes = [
    { id: 1, name: 'kafka-1', brokerPort: 19092, controllerPort: 19093 },
    { id: 2, name: 'kafka-2', brokerPort: 29092, controllerPort: 29093 },
    { id: 3, name: 'kafka-3', brokerPort: 39092, controllerPort: 39093 },
  ];
  const internalBrokers = kafkaNodes.map((n) => `${n.name}:9092`).join(',');

  // The durability settings come from the local stack's own server.properties generator, so the
  // two stacks cannot disagree about what an acknowledged write survives.
  const localConfig = { kafka: { nodes: kafkaNodes.map((n) => ({ ...n, dataDir: '/unused' })) } };
  const localProps = Object.fromEntries(
    kafkaProperties(localConfig as unknown as StackConfig, localConfig.kafka.nodes[0]!)
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  const durabilityKeys = [
    'default.replication.factor',
    'min.insync.replicas',
    'offsets.topic.replication.factor',
    'transaction.state.log.replication.factor',
    'transaction.state.log.min.isr',
    'unclean.leader.election.enable',
    'auto.create.topics.enable',
  ];

  it('declares exactly three Kafka nodes', () => {
    const names = Object.keys(compose.services).filter((s) => /^kafka-\d+$/.test(s));
    expect(names.sort()).toEqual(kafkaNodes.map((n) => n.name));
  });

  describe.each(kafkaNodes)('$name', (node) => {
    const svc = service(compose, node.name);

    it('is a combined KRaft broker+controller in the three-node quorum', () => {
      expect(svc.image).toBe('apache/kafka:4.1.1');
      expect(env(svc, 'KAFKA_PROCESS_ROLES')).toBe('broker,controller');
      expect(env(svc, 'KAFKA_NODE_ID')).toBe(String(node.id));
      expect(env(svc, 'KAFKA_CONTROLLER_QUORUM_VOTERS')).toBe(
        kafkaNodes.map((n) => `${n.id}@${n.name}:${n.controllerPort}`).join(','),
      );
      expect(env(svc, 'KAFKA_LISTENERS')).toContain(`CONTROLLER://:${node.controllerPort}`);
    });

    it('replicates on the internal listener and advertises localhost on the published port', () => {
      expect(publishedPorts(svc)).toEqual([node.brokerPort]);
      expect(env(svc, 'KAFKA_INTER_BROKER_LISTENER_NAME')).toBe('INTERNAL');
      expect(env(svc, 'KAFKA_ADVERTISED_LISTENERS').split(',').sort()).toEqual([
        `EXTERNAL://localhost:${node.brokerPort}`,
        `INTERNAL://${node.name}:9092`,
      ]);
    });

    it.each(durabilityKeys)('sets %s as the local stack does', (key) => {
      expect(localProps[key]).toBeDefined();
      const variable = `KAFKA_${key.toUpperCase().replace(/\./g, '_')}`;
      expect(env(svc, variable)).toBe(localProps[key]);
    });

    it('keeps its data in a named volume and has a healthcheck', () => {
      const [volume] = (svc.volumes ?? []).map((v) => v.split(':')[0]!);
      expect(compose.volumes).toHaveProperty([volume!]);
      expect(svc.volumes).toEqual([`${volume}:${env(svc, 'KAFKA_LOG_DIRS')}`]);
      expect(svc.healthcheck?.test.length).toBeGreaterThan(0);
    });
  });

  it('runs MongoDB 7.0 as a three-member replica set initiated by a one-shot service', () => {
    const members = ['mongo-1', 'mongo-2', 'mongo-3'];
    for (const name of members) {
      const svc = service(compose, name);
      expect(svc.image).toBe('mongo:7.0');
      expect(svc.command?.join(' ')).toContain('--replSet rs0');
      expect(svc.healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(publishedPorts(service(compose, 'mongo-1'))).toEqual([27017]);

    const init = service(compose, 'mongo-init');
    expect(init.restart).toBe('no');
    expect(Object.keys(init.depends_on ?? {}).sort()).toEqual(members);
    const script = readFileSync(join(DOCKER_DIR, 'mongo-init-replica-set.js'), 'utf8');
    expect(script).toContain("_id: 'rs0'");
    expect([...script.matchAll(/'(mongo-\d+):27017'/g)].map((m) => m[1])).toEqual(members);
  });

  it('creates the topics in a one-shot service once every broker is healthy', () => {
    const topics = service(compose, 'topics');
    expect(topics.image).toBe('apache/kafka:4.1.1');
    expect(topics.restart).toBe('no');
    expect(topics.volumes?.[0]).toMatch(/^\.\/infra\/docker\/create-topics\.sh:/);
    expect(env(topics, 'KAFKA_BOOTSTRAP')).toBe(internalBrokers);
    for (const node of kafkaNodes) {
      expect(topics.depends_on?.[node.name]?.condition).toBe('service_healthy');
    }
  });

  describe.each(APP_CATALOG)('app $name', (app) => {
    const svc = service(compose, app.name);

    it('runs the catalog default number of replicas of the shared image', () => {
      expect(svc.deploy?.replicas).toBe(app.defaultReplicas);
      expect(svc.build?.dockerfile).toBe('infra/docker/Dockerfile');
      expect(svc.ports ?? []).toEqual([]);
    });

    it('is configured like the local stack, with its own database', () => {
      expect(svc.environment).toMatchObject({
        BULWARK_APP: app.name,
        PORT: 3000,
        HOST: '0.0.0.0',
        KAFKA_BROKERS: internalBrokers,
        MONGO_URL: `mongodb://mongo-1:27017,mongo-2:27017,mongo-3:27017/${app.database}?replicaSet=rs0`,
      });
      // The image starts dist/apps/$BULWARK_APP/src/main.js: it must be the catalog's entry.
      expect(`dist/apps/${env(svc, 'BULWARK_APP')}/src/main.js`).toBe(app.entry);
    });

    it('waits for topics and the replica set, and reports readiness', () => {
      expect(svc.depends_on?.topics?.condition).toBe('service_completed_successfully');
      expect(svc.depends_on?.['mongo-init']?.condition).toBe('service_completed_successfully');
      expect(svc.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    });
  });

  it('puts HAProxy on 8080 in front of the edge app', () => {
    const haproxy = service(compose, 'haproxy');
    expect(haproxy.image).toBe('haproxy:2.6');
    expect(publishedPorts(haproxy)).toContain(8080);
    expect(haproxy.volumes).toContain('./infra/docker/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const edge = APP_CATALOG.filter((a) => a.role === 'edge').map((a) => a.name);
    expect(Object.keys(haproxy.depends_on ?? {})).toEqual(edge);
  });
});

describe('infra/docker/create-topics.sh', () => {
  // The script is run for real with a stub kafka-topics.sh that records its arguments: this
  // checks the commands it would send, not just what its text looks like.
  interface Created {
    topic: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
    flags: string[];
    bootstrap: string;
  }

  function runScript(): Created[] {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-topics-'));
    try {
      const log = join(dir, 'calls.log');
      writeFileSync(join(dir, 'kafka-topics.sh'), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" '<end>' >> "${log}"\n`, {
        mode: 0o755,
      });
      const run = spawnSync('bash', [join(DOCKER_DIR, 'create-topics.sh')], {
        env: { PATH: process.env.PATH, KAFKA_BIN: dir, KAFKA_BOOTSTRAP: 'stub:9092' },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const calls = readFileSync(log, 'utf8').split('<end>\n').filter(Boolean);
      return calls.map((call) => toCreated(call.trimEnd().split('\n')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function toCreated(args: string[]): Created {
    const value = (flag: string) => args[args.indexOf(flag) + 1] ?? '';
    const configs = Object.fromEntries(
      args.flatMap((a, i) => (args[i - 1] === '--config' ? [a.split(/=(.*)/s).slice(0, 2)] : [])),
    );
    return {
      topic: value('--topic'),
      partitions: Number(value('--partitions')),
      replicationFactor: Number(value('--replication-factor')),
      configs,
      flags: args.filter((a) => a === '--create' || a === '--if-not-exists'),
      bootstrap: value('--bootstrap-server'),
    };
  }

  let created: Created[] = [];
  beforeAll(() => {
    created = runScript();
  });

  it('creates exactly the topics declared in libs/contracts, with their partitions', () => {
    const byName = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
    expect(created.map((c) => ({ topic: c.topic, partitions: c.partitions })).sort(byName)).toEqual(
      ALL_TOPICS.map((t) => ({ topic: t.name, partitions: t.partitions })).sort(byName),
    );
  });

  it('creates every topic idempotently with the platform replication guarantees', () => {
    expect(created.length).toBeGreaterThan(0);
    for (const c of created) {
      expect(c).toMatchObject({
        replicationFactor: REPLICATION.replicationFactor,
        configs: {
          'min.insync.replicas': String(REPLICATION.minInsyncReplicas),
          'unclean.leader.election.enable': String(REPLICATION.uncleanLeaderElection),
        },
        flags: ['--create', '--if-not-exists'],
        bootstrap: 'stub:9092',
      });
    }
  });

  it('passes on the per-topic configs declared in libs/contracts', () => {
    for (const topic of ALL_TOPICS) {
      const c = created.find((x) => x.topic === topic.name);
      expect(c?.configs).toMatchObject(topic.config ?? {});
    }
  });
});

describe('infra/docker/haproxy.cfg', () => {
  // The stack's other tests need HAProxy too; infra/local/provision.sh installs it. The image in
  // docker-compose.yml is haproxy:2.6, the same branch as Debian 12's package.
  function haproxyBin(): string {
    const candidates = [
      process.env.BULWARK_HAPROXY_BIN,
      ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'haproxy')),
      '/usr/sbin/haproxy',
    ];
    const found = candidates.find((c): c is string => !!c && existsSync(c));
    if (!found) throw new Error('haproxy not found: run infra/local/provision.sh (or set BULWARK_HAPROXY_BIN)');
    return found;
  }

  // `haproxy -c` parses everything but resolves nothing it can defer: the nameserver is an IP
  // literal (Docker's 127.0.0.11) and `init-addr none` postpones resolving `ingress`, so the
  // real file is checked as-is, with no Docker DNS needed.
  const check = (file: string) => spawnSync(haproxyBin(), ['-c', '-f', file], { encoding: 'utf8' });
  const config = readFileSync(join(DOCKER_DIR, 'haproxy.cfg'), 'utf8');

  it('is accepted by haproxy -c', () => {
    const result = check(join(DOCKER_DIR, 'haproxy.cfg'));
    expect(result.stdout + result.stderr).toContain('Configuration file is valid');
    expect(result.status).toBe(0);
  });

  it('would be rejected by haproxy -c if broken (the check has teeth)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-haproxy-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, config.replace('http-check expect status 200', 'http-check expect stattus 200'));
      expect(check(file).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks /health/ready actively and discovers the ingress replicas through Docker DNS', () => {
    const lines = config.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'bind :8080',
        'bind :8404',
        'option httpchk',
        'http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost',
        'http-check expect status 200',
        'resolvers docker',
        'nameserver dns 127.0.0.11:53',
        'server-template ingress- 6 ingress:3000 check resolvers docker init-addr none',
      ]),
    );
    expect(lines.find((l) => l.startsWith('default-server'))).toMatch(/\binter 1s\b.*\bfall 2 rise 2\b/);
  });
});
