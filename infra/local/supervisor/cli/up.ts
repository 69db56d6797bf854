import { loadStackConfig } from '../config/stack-config';
import { startControlServer } from '../control/control-server';
import { Stack } from '../stack/stack';

/** `bulwark up`: start everything, print where it is, keep running until Ctrl-C / SIGTERM. */
export async function up(): Promise<void> {
  const config = loadStackConfig();
  const say = (line: string) => process.stdout.write(`\u001b[1msupervisor  |\u001b[0m ${line}\n`);
  const stack = new Stack(config, say);
  let stopping: Promise<void> | null = null;
  const shutdown = () => {
    stopping ??= (async () => {
      say('shutting down in order: load balancer, ingress, services, store, Kafka');
      await stack.down();
      control?.close();
      process.exit(0);
    })();
  };
  const control = await startControlServer(stack, config.controlPort, shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);

  const started = Date.now();
  try {
    await stack.up();
  } catch (err) {
    say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await stack.down();
    process.exit(1);
  }
  const urls = stack.urls();
  say(`all replicas healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(
    `  API (through HAProxy): ${urls.api}       e.g. curl -X POST ${urls.api}/api/wire/pings -H 'content-type: application/json' -d '{"text":"hi"}'`,
  );
  say(`  HAProxy stats:         ${urls.haproxyStats}`);
  say(`  supervisor status:     ${urls.supervisor}   (./bulwark status)`);
  say(`  Kafka bootstrap:       ${urls.kafka}`);
  say(`  MongoDB API:           ${urls.mongo}`);
  say('scale with: ./bulwark scale echo=3     stop with: Ctrl-C (or ./bulwark stop)');
  say('BULWARK READY');
}
