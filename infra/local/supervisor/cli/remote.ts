/** Commands that talk to a running supervisor over its control port. */
export async function remote(command: string, args: readonly string[]): Promise<number> {
  const port = Number(process.env.BULWARK_CONTROL_PORT ?? 8070);
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(200_000),
      });
    } catch {
      throw new Error(`no Bulwark supervisor answers on ${base}; start one with ./bulwark up`);
    }
    const json: unknown = await res.json();
    if (!res.ok) throw new Error((json as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
    return json;
  };

  switch (command) {
    case 'status': {
      const status = (await call('GET', '/status')) as {
        processes: {
          name: string;
          state: string;
          pid: number | null;
          restarts: number;
          lastExit: string | null;
          endpoint: string | null;
        }[];
      };
      console.log('PROCESS       STATE        PID      RESTARTS  ENDPOINT                   LAST EXIT');
      for (const p of status.processes) {
        console.log(
          `${p.name.padEnd(13)} ${p.state.padEnd(12)} ${String(p.pid ?? '-').padEnd(8)} ${String(p.restarts).padEnd(9)} ` +
            `${(p.endpoint ?? '').padEnd(26)} ${p.lastExit ?? ''}`,
        );
      }
      return status.processes.every((p) => p.state === 'ready') ? 0 : 3;
    }
    case 'scale': {
      if (args.length === 0) throw new Error('usage: bulwark scale <app>=<replicas> [<app>=<replicas> ...]');
      for (const arg of args) {
        const m = /^([a-z][a-z0-9-]*)=(\d+)$/.exec(arg);
        if (!m) throw new Error(`"${arg}" is not <app>=<replicas>, e.g. echo=3`);
        console.log(`scaling ${m[1]} to ${m[2]} replica(s)...`);
        const result = (await call('POST', '/scale', { app: m[1], replicas: Number(m[2]) })) as { replicas: number };
        console.log(`${m[1]}: ${result.replicas} replica(s) ready`);
      }
      return 0;
    }
    case 'stop':
      await call('POST', '/shutdown');
      console.log('supervisor is stopping the stack');
      return 0;
    case 'process': {
      const [action, name, signal] = args;
      if (!name || !['start', 'stop', 'kill'].includes(action ?? '')) {
        throw new Error('usage: bulwark process <start|stop|kill> <name> [SIGNAL]   (names: ./bulwark status)');
      }
      const path = action === 'kill' ? `/processes/${name}/signal` : `/processes/${name}/${action}`;
      const result = (await call('POST', path, action === 'kill' ? { signal: signal ?? 'SIGKILL' } : undefined)) as {
        state: string;
      };
      console.log(`${name}: ${result.state}`);
      return 0;
    }
    default:
      throw new Error(`unknown command "${command}"`);
  }
}
