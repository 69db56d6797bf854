import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RestartPolicy } from './restart-policy';
import { prefixer } from './log-prefix';

export type ProcessState = 'stopped' | 'starting' | 'ready' | 'unready' | 'backoff' | 'crash-loop' | 'stopping';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Resolves true when the process serves; polled every second while it runs. */
  readonly ready: () => Promise<boolean>;
  /** How long a graceful stop may take before SIGKILL. */
  readonly stopTimeoutMs: number;
  readonly stopSignal?: NodeJS.Signals;
  /** Where it serves (shown by `bulwark status`, used by tests and operators). */
  readonly endpoint?: string;
}

export interface ProcessStatus {
  readonly name: string;
  readonly state: ProcessState;
  readonly pid: number | null;
  readonly restarts: number;
  readonly lastExit: string | null;
  readonly since: string;
  readonly endpoint: string | null;
}

/**
 * One child process kept alive by the supervisor: logs prefixed with its name (and copied to
 * run/logs/<name>.log), readiness polled, restarted with backoff after a crash, and reported
 * as a crash loop instead of spinning. Each child runs in its own process group so a Ctrl-C
 * in the terminal reaches only the supervisor, which then stops everything in order.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private state: ProcessState = 'stopped';
  private since = new Date();
  private wanted = false;
  private restarts = 0;
  private lastExit: string | null = null;
  private readySince: number | null = null;
  /** The operator (or a chaos test) sent the signal that ended the last run. */
  private operatorSignalled = false;
  private probeTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly policy: RestartPolicy;
  private readonly log: WriteStream;
  private readonly print: (line: string) => void;

  constructor(
    readonly spec: ProcessSpec,
    private readonly runDir: string,
    private readonly onChange: (status: ProcessStatus) => void = () => undefined,
    policy: RestartPolicy = new RestartPolicy(),
  ) {
    this.policy = policy;
    mkdirSync(join(runDir, 'logs'), { recursive: true });
    mkdirSync(join(runDir, 'pids'), { recursive: true });
    this.log = createWriteStream(join(runDir, 'logs', `${spec.name}.log`), { flags: 'a' });
    this.print = prefixer(spec.name);
  }

  get name(): string {
    return this.spec.name;
  }

  status(): ProcessStatus {
    return {
      name: this.name,
      state: this.state,
      pid: this.child?.pid ?? null,
      restarts: this.restarts,
      lastExit: this.lastExit,
      since: this.since.toISOString(),
      endpoint: this.spec.endpoint ?? null,
    };
  }

  isReady(): boolean {
    return this.state === 'ready';
  }

  start(): void {
    this.wanted = true;
    if (this.child || this.restartTimer) return;
    this.policy.reset();
    this.launch();
  }

  /** Waits until ready; rejects on a crash loop, an operator stop or the deadline. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.state === 'ready') return;
      if (this.state === 'crash-loop') throw new Error(`${this.name} is crash-looping: ${this.lastExit}`);
      if (!this.wanted) throw new Error(`${this.name} was stopped`);
      await sleep(200);
    }
    throw new Error(
      `${this.name} not ready after ${Math.round(timeoutMs / 1000)} s (state ${this.state}); see ${this.logPath()}`,
    );
  }

  /** Graceful stop: the stop signal to the whole process group, SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child?.pid) {
      this.setState('stopped');
      return;
    }
    this.setState('stopping');
    this.signalGroup(child.pid, this.spec.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => {
      this.print(`did not stop within ${this.spec.stopTimeoutMs} ms; sending SIGKILL`);
      if (child.pid) this.signalGroup(child.pid, 'SIGKILL');
    }, this.spec.stopTimeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Sends a signal without changing what is wanted: a kill -9 here is a crash, and gets restarted. */
  signal(signal: NodeJS.Signals): boolean {
    const pid = this.child?.pid;
    if (!pid) return false;
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') this.operatorSignalled = true;
    this.signalGroup(pid, signal);
    return true;
  }

  logPath(): string {
    return join(this.runDir, 'logs', `${this.name}.log`);
  }

  private launch(): void {
    this.restartTimer = null;
    this.setState('starting');
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const pidFile = join(this.runDir, 'pids', `${this.name}.pid`);
    if (child.pid) writeFileSync(pidFile, `${child.pid}\n`);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.print(line);
        this.log.write(`${line}\n`);
      });
    }
    this.exited = new Promise((resolveExit) => {
      child.once('error', (err) => {
        this.print(`failed to start: ${err.message}`);
      });
      child.once('close', (code, signal) => {
        rmSync(pidFile, { force: true });
        this.child = null;
        this.stopProbe();
        this.lastExit = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolveExit();
        this.afterExit();
      });
    });
    this.startProbe();
  }

  private afterExit(): void {
    if (!this.wanted) {
      this.setState('stopped');
      return;
    }
    // A kill the operator asked for says nothing about whether the process can run: it never
    // counts towards a crash loop.
    const stable = this.operatorSignalled || (this.readySince !== null && Date.now() - this.readySince >= STABLE_RUN_MS);
    const decision = this.policy.onCrash(stable);
    this.readySince = null;
    this.operatorSignalled = false;
    this.restarts += 1;
    if (decision.kind === 'give-up') {
      this.print(
        `CRASH LOOP: exited ${decision.crashes} times within ${decision.windowSeconds} s (last: ${this.lastExit}); ` +
          `not restarting. Log: ${this.logPath()}`,
      );
      this.setState('crash-loop');
      return;
    }
    this.print(`exited unexpectedly (${this.lastExit}); restarting in ${decision.delayMs} ms`);
    this.setState('backoff');
    this.restartTimer = setTimeout(() => this.launch(), decision.delayMs);
  }

  private startProbe(): void {
    this.stopProbe();
    let probing = false;
    this.probeTimer = setInterval(() => {
      if (probing || !this.child) return;
      probing = true;
      this.spec
        .ready()
        .catch(() => false)
        .then((ok) => {
          probing = false;
          if (!this.child || this.state === 'stopping') return;
          if (ok && this.state !== 'ready') this.setState('ready');
          if (!ok && this.state === 'ready') this.setState('unready');
        });
    }, 1000);
  }

  private stopProbe(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
  }

  private setState(state: ProcessState): void {
    if (state === this.state) return;
    if (state === 'ready') this.readySince ??= Date.now();
    this.state = state;
    this.since = new Date();
    if (state === 'ready' || state === 'unready') this.print(`-> ${state}`);
    this.onChange(this.status());
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Ready this long before dying = it was running fine, not crash-looping. */
const STABLE_RUN_MS = 5000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
