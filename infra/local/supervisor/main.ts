import { up } from './cli/up';
import { remote } from './cli/remote';

const USAGE = `usage: bulwark <command>
  up                         start the whole stack in the foreground (Ctrl-C stops it in order)
  status                     list every process, its state and restarts (exit 3 unless all ready)
  scale <app>=<n> ...        change replicas while running, e.g. scale echo=3
  process start|stop <name>  start or stop one process (e.g. kafka-2); stop is not restarted
  process kill <name> [SIG]  send a signal (default SIGKILL); the supervisor restarts a crash
  stop                       stop a stack running in another terminal`;

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'up') {
    await up();
    return -1;
  }
  return remote(command, args);
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`bulwark: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
