import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { stack, supervisor, waitFor } from '../support/stack';
import { wireRoundTrip } from '../support/wire';

const ROOT = resolve(__dirname, '../..');
const DATA_DIR = process.env.BULWARK_DATA_DIR ?? resolve(ROOT, '.data/test');

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Starts `bulwark up` (the supervisor) as a user would and waits for its READY line. */
async function startStack(): Promise<Running> {
  let output = '';
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', 'dist/infra/local/supervisor/main.js', 'up'],
    {
      cwd: ROOT,
      env: { ...process.env, BULWARK_DATA_DIR: DATA_DIR, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    'BULWARK READY',
    async () => {
      if (child.exitCode !== null) throw new Error(`supervisor exited ${child.exitCode}:\n${output.slice(-3000)}`);
      return output.includes('BULWARK READY');
    },
    240_000,
    500,
  );
  return { child, output: () => output };
}

/** Ctrl-C, as in a terminal; resolves with the exit code once the supervisor is gone. */
function interrupt(running: Running): Promise<number | null> {
  return new Promise((resolveExit) => {
    running.child.once('exit', (code) => resolveExit(code));
    running.child.kill('SIGINT');
  });
}

function stackProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-af', DATA_DIR], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() && !l.includes('pgrep') && !l.includes('jest'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('stack lifecycle: Ctrl-C and restart', () => {
  it('stops everything in order on Ctrl-C, leaves no process behind, and the next start reuses the data', async () => {
    const first = await startStack();
    const pids = (await supervisor.status()).processes.map((p) => p.pid).filter((p): p is number => p !== null);
    expect(pids.length).toBeGreaterThanOrEqual(9);
    const { pingId } = await wireRoundTrip('survives a restart');

    expect(await interrupt(first)).toBe(0);

    const log = first.output().replace(/\u001b\[[0-9;]*m/g, '');
    const order = ['stopping load balancer', 'stopping ingress', 'stopping echo', 'stopping store', 'stopping Kafka', 'stopped'];
    const positions = order.map((line) => log.indexOf(`supervisor  | ${line}\n`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(); // every child is gone
    expect(stackProcesses()).toEqual([]);

    const second = await startStack();
    try {
      expect(second.output()).toMatch(/topic echo\.commands: verified/);
      const res = await fetch(`${stack.api}/api/wire/pings/${pingId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ pingId, text: 'survives a restart' });
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
    expect(stackProcesses()).toEqual([]);
  });
});
