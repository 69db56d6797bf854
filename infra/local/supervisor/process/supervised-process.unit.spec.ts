import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestartPolicy } from './restart-policy';
import { SupervisedProcess, type ProcessSpec, type ProcessStatus } from './supervised-process';

// Real child processes (tiny Node scripts), no infrastructure: what the supervisor does with them.
const node = (script: string, name = 'child'): ProcessSpec => ({
  name,
  command: process.execPath,
  args: ['-e', script],
  ready: async () => true,
  stopTimeoutMs: 2000,
});

const runDir = () => mkdtempSync(join(tmpdir(), 'bulwark-sp-'));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SupervisedProcess', () => {
  jest.setTimeout(20_000);

  it('restarts a crashed child and reports a crash loop instead of spinning', async () => {
    const states: ProcessStatus['state'][] = [];
    const proc = new SupervisedProcess(
      node('process.exit(3)', 'crasher'),
      runDir(),
      (s) => states.push(s.state),
      new RestartPolicy(10, 20, 4, 60_000),
    );
    proc.start();
    await until(() => proc.status().state === 'crash-loop');
    expect(proc.status()).toMatchObject({ state: 'crash-loop', restarts: 4, lastExit: 'exit code 3', pid: null });
    expect(states.filter((s) => s === 'backoff')).toHaveLength(3);
    await expect(proc.waitReady(1000)).rejects.toThrow(/crash-looping: exit code 3/);
  });

  it('restarts a child killed with SIGKILL and becomes ready again', async () => {
    const proc = new SupervisedProcess(
      node('setInterval(() => {}, 1000)', 'victim'),
      runDir(),
      undefined,
      new RestartPolicy(10, 20),
    );
    proc.start();
    await proc.waitReady(5000);
    const firstPid = proc.status().pid;
    expect(proc.signal('SIGKILL')).toBe(true);
    await until(() => proc.status().restarts === 1 && proc.status().state === 'ready');
    expect(proc.status().pid).not.toBe(firstPid);
    expect(proc.status().lastExit).toBe('killed by SIGKILL');
    await proc.stop();
    expect(proc.status()).toMatchObject({ state: 'stopped', pid: null, restarts: 1 });
  });

  it('does not restart after an intended stop, and escalates to SIGKILL when SIGTERM is ignored', async () => {
    const stubborn = node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", 'stubborn');
    const proc = new SupervisedProcess({ ...stubborn, stopTimeoutMs: 300 }, runDir());
    proc.start();
    await proc.waitReady(5000);
    await new Promise((r) => setTimeout(r, 200)); // let the child install its handler
    await proc.stop();
    expect(proc.status()).toMatchObject({ state: 'stopped', lastExit: 'killed by SIGKILL', restarts: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(proc.status().state).toBe('stopped');
  });

  it('copies every output line to its log file', async () => {
    const dir = runDir();
    const proc = new SupervisedProcess(node("console.log('hello from the child'); console.error('and stderr')", 'talker'), dir);
    proc.start();
    await until(() => proc.status().lastExit !== null);
    await proc.stop();
    await until(() => readFileSync(join(dir, 'logs', 'talker.log'), 'utf8').includes('and stderr'));
    expect(readFileSync(join(dir, 'logs', 'talker.log'), 'utf8')).toContain('hello from the child');
  });
});

describe('SupervisedProcess and operator kills', () => {
  jest.setTimeout(20_000);

  it('never counts kills the operator asked for towards a crash loop', async () => {
    const proc = new SupervisedProcess(
      node('setInterval(() => {}, 1000)', 'chaos-victim'),
      runDir(),
      undefined,
      new RestartPolicy(10, 20, 3, 60_000),
    );
    proc.start();
    for (let kill = 1; kill <= 5; kill++) {
      await proc.waitReady(5000);
      proc.signal('SIGKILL');
      await until(() => proc.status().restarts === kill);
    }
    await proc.waitReady(5000);
    expect(proc.status()).toMatchObject({ state: 'ready', restarts: 5 });
    await proc.stop();
  });
});
