import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@bulwark/contracts';
import { createKafka, ensureTopics } from '@bulwark/messaging';
import { kafkaBrokers, type StackConfig } from '../config/stack-config';
import { SupervisedProcess, type ProcessSpec, type ProcessStatus } from '../process/supervised-process';
import { appReplicaProcess } from './app-replica';
import { ferretdbProcess } from './ferretdb';
import { haproxyProcess } from './haproxy';
import { kafkaProcess } from './kafka-node';
import { appsInStartOrder } from './app-catalog';

type App = StackConfig['apps'][number];

const READY_TIMEOUT_MS = 180_000;

/**
 * The whole local stack and its order: Kafka (3 KRaft nodes) -> topics -> FerretDB ->
 * services -> ingress -> HAProxy; stopping goes the other way round, so no layer loses its
 * dependency while it still works.
 */
export class Stack {
  private readonly kafka: SupervisedProcess[] = [];
  private ferretdb: SupervisedProcess | null = null;
  private haproxy: SupervisedProcess | null = null;
  private readonly replicas = new Map<string, SupervisedProcess[]>();
  private stopping = false;
  private scaling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: StackConfig,
    private readonly say: (line: string) => void,
  ) {}

  async up(): Promise<void> {
    killStaleChildren(this.config.runDir, this.config.dataDir, this.say);
    this.say(`data in ${this.config.dataDir}`);

    this.say('starting Kafka (3 KRaft nodes)');
    for (const node of this.config.kafka.nodes) this.kafka.push(this.supervise(kafkaProcess(this.config, node)));
    this.kafka.forEach((p) => p.start());
    await Promise.all(this.kafka.map((p) => p.waitReady(READY_TIMEOUT_MS)));
    await this.waitForCluster();
    const reports = await ensureTopics(this.kafkaClient(), ALL_TOPICS, this.config.topicPartitions);
    for (const r of reports) this.say(`topic ${r.name}: ${r.action} (${r.partitions} partitions, RF=3, min.insync.replicas=2)`);

    this.say('starting FerretDB');
    this.ferretdb = this.supervise(ferretdbProcess(this.config));
    this.ferretdb.start();
    await this.ferretdb.waitReady(READY_TIMEOUT_MS);

    for (const spec of appsInStartOrder()) {
      const app = this.app(spec.name);
      this.say(`starting ${app.replicas} replica(s) of ${app.spec.name}`);
      await this.scale(app.spec.name, app.replicas);
    }

    this.say('starting HAProxy');
    this.haproxy = this.supervise(haproxyProcess(this.config));
    this.haproxy.start();
    await this.haproxy.waitReady(READY_TIMEOUT_MS);
  }

  /** Changes an app's replica count while running: new replicas join their consumer group, removed ones leave it gracefully. */
  scale(appName: string, wanted: number): Promise<readonly ProcessStatus[]> {
    const run = this.scaling.then(() => this.doScale(appName, wanted));
    this.scaling = run.catch(() => undefined);
    return run;
  }

  /** Ordered stop; resolves when every child has exited. */
  async down(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const step = async (label: string, procs: (SupervisedProcess | null)[]) => {
      const live = procs.filter((p): p is SupervisedProcess => p !== null);
      if (live.length === 0) return;
      this.say(`stopping ${label}`);
      await Promise.all(live.map((p) => p.stop()));
    };
    await step('load balancer', [this.haproxy]);
    for (const spec of [...appsInStartOrder()].reverse()) await step(spec.name, this.replicas.get(spec.name) ?? []);
    await step('store', [this.ferretdb]);
    await step('Kafka', this.kafka);
    this.say('stopped');
  }

  status() {
    const all = [...this.kafka, this.ferretdb, ...[...this.replicas.values()].flat(), this.haproxy].filter(
      (p): p is SupervisedProcess => p !== null,
    );
    return {
      stopping: this.stopping,
      processes: all.map((p) => p.status()),
      apps: Object.fromEntries(
        this.config.apps.map((a) => [a.spec.name, { replicas: this.replicas.get(a.spec.name)?.length ?? 0 }]),
      ),
      urls: this.urls(),
    };
  }

  find(name: string): SupervisedProcess | undefined {
    return (
      [...this.kafka, this.ferretdb, this.haproxy, ...[...this.replicas.values()].flat()].find((p) => p?.name === name) ??
      undefined
    );
  }

  allReady(): boolean {
    return this.status().processes.every((p) => p.state === 'ready');
  }

  urls(): Record<string, string> {
    return {
      api: `http://127.0.0.1:${this.config.haproxy.port}`,
      haproxyStats: `http://127.0.0.1:${this.config.haproxy.statsPort}/stats`,
      supervisor: `http://127.0.0.1:${this.config.controlPort}/status`,
      kafka: kafkaBrokers(this.config).join(','),
      mongo: `mongodb://127.0.0.1:${this.config.mongo.port}`,
    };
  }

  private async doScale(appName: string, wanted: number): Promise<readonly ProcessStatus[]> {
    if (this.stopping) throw new Error('the stack is stopping');
    const app = this.app(appName);
    if (!Number.isInteger(wanted) || wanted < 0 || wanted > app.maxReplicas) {
      throw new Error(`replicas for ${appName} must be an integer from 0 to ${app.maxReplicas}`);
    }
    const current = this.replicas.get(appName) ?? [];
    this.replicas.set(appName, current);
    while (current.length < wanted) {
      const proc = this.supervise(appReplicaProcess(this.config, app, current.length + 1));
      current.push(proc);
      proc.start();
    }
    const removed = current.splice(wanted);
    await Promise.all(removed.map((p) => p.stop()));
    await Promise.all(current.map((p) => p.waitReady(READY_TIMEOUT_MS)));
    return current.map((p) => p.status());
  }

  private app(name: string): App {
    const app = this.config.apps.find((a) => a.spec.name === name);
    if (!app) throw new Error(`unknown app "${name}"; apps: ${this.config.apps.map((a) => a.spec.name).join(', ')}`);
    return app;
  }

  private supervise(spec: ProcessSpec): SupervisedProcess {
    return new SupervisedProcess(spec, this.config.runDir, (s) => {
      if (s.state === 'crash-loop') this.say(`!! ${s.name} is in a crash loop; fix it and run: bulwark process start ${s.name}`);
    });
  }

  private kafkaClient() {
    return createKafka({ brokers: kafkaBrokers(this.config), clientId: 'bulwark-supervisor' });
  }

  /** Brokers listen before the quorum has elected a leader and registered all three. */
  private async waitForCluster(): Promise<void> {
    const admin = this.kafkaClient().admin();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = '';
    while (Date.now() < deadline) {
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        if (brokers.length === this.config.kafka.nodes.length) {
          await admin.disconnect();
          this.say(`Kafka cluster up: ${brokers.length} brokers`);
          return;
        }
        last = `${brokers.length} brokers registered`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await admin.disconnect().catch(() => undefined);
    throw new Error(`Kafka cluster not formed after ${READY_TIMEOUT_MS / 1000} s: ${last}`);
  }
}

/**
 * Children of a supervisor that was itself killed -9 are still running; stop them before
 * starting anew. A pid is only killed if its command line names this stack's data folder
 * (every child's does), so a recycled pid of an unrelated process is left alone.
 */
function killStaleChildren(runDir: string, dataDir: string, say: (line: string) => void): void {
  const dir = join(runDir, 'pids');
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const file of files) {
    const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1 && commandLine(pid).includes(dataDir)) {
      try {
        process.kill(-pid, 'SIGKILL');
        say(`killed leftover ${file.replace(/\.pid$/, '')} (pid ${pid}) from a previous run`);
      } catch {
        /* not running */
      }
    }
    rmSync(join(dir, file), { force: true });
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
