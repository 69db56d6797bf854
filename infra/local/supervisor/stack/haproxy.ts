import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../config/stack-config';
import type { ProcessSpec } from '../process/supervised-process';
import { haproxyConfig } from './haproxy-config';
import { tcpOpen } from './probes';

export function haproxyProcess(config: StackConfig): ProcessSpec {
  const dir = join(config.dataDir, 'haproxy');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(config));
  try {
    execFileSync(config.haproxy.bin, ['-c', '-q', '-f', file], { stdio: 'pipe' });
  } catch (err) {
    const out = err instanceof Error && 'stderr' in err ? String((err as { stderr: Buffer }).stderr) : String(err);
    throw new Error(`generated HAProxy config ${file} is invalid:\n${out}`);
  }
  return {
    name: 'haproxy',
    command: config.haproxy.bin,
    // -db: stay in the foreground, logs to stdout; -W: master-worker, so SIGTERM stops cleanly.
    args: ['-W', '-db', '-f', file],
    ready: () => tcpOpen(config.haproxy.port),
    stopTimeoutMs: 5_000,
    endpoint: `http://127.0.0.1:${config.haproxy.port}`,
  };
}
