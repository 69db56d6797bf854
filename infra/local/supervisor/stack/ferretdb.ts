import type { StackConfig } from '../config/stack-config';
import type { ProcessSpec } from '../process/supervised-process';
import { tcpOpen } from './probes';

export function ferretdbProcess(config: StackConfig): ProcessSpec {
  return {
    name: 'ferretdb',
    command: config.mongo.bin,
    args: [`--listen-addr=127.0.0.1:${config.mongo.port}`, `--data-dir=${config.mongo.dataDir}`, '--log-level=error'],
    ready: () => tcpOpen(config.mongo.port),
    stopTimeoutMs: 10_000,
    endpoint: `mongodb://127.0.0.1:${config.mongo.port}`,
  };
}
