import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Stack } from '../stack/stack';

const SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT', 'SIGINT']);

/**
 * The supervisor's control surface on loopback: what `bulwark status|scale|process` call, and
 * what a lag-based autoscaler will call later. JSON in, JSON out, errors as
 * { error: { code, message } } with 4xx statuses.
 *   GET  /status
 *   POST /scale               { "app": "echo", "replicas": 3 }
 *   POST /processes/{name}/{start|stop}
 *   POST /processes/{name}/signal { "signal": "SIGKILL" }   (a kill is a crash: it gets restarted)
 *   POST /shutdown
 */
export function startControlServer(stack: Stack, port: number, shutdown: () => void): Promise<Server> {
  const server = createServer((req, res) => {
    handle(stack, shutdown, req, res).catch((err: unknown) =>
      send(res, 500, { error: { code: 'BLW_SUPERVISOR_ERROR', message: err instanceof Error ? err.message : String(err) } }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`control port ${port} is in use: is another Bulwark stack running? (bulwark status)`)
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function handle(stack: Stack, shutdown: () => void, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && url.pathname === '/status') return send(res, 200, stack.status());
  if (req.method !== 'POST') return send(res, 404, error('BLW_NOT_FOUND', `no route ${req.method} ${url.pathname}`));
  const body = await readJson(req);

  if (url.pathname === '/scale') {
    const app = body.app;
    const replicas = body.replicas;
    if (typeof app !== 'string' || typeof replicas !== 'number') {
      return send(res, 400, error('BLW_BAD_REQUEST', 'body must be { "app": string, "replicas": number }'));
    }
    try {
      const processes = await stack.scale(app, replicas);
      return send(res, 200, { app, replicas: processes.length, processes });
    } catch (err) {
      return send(res, 400, error('BLW_SCALE_REJECTED', err instanceof Error ? err.message : String(err)));
    }
  }
  if (url.pathname === '/shutdown') {
    send(res, 202, { stopping: true });
    shutdown();
    return;
  }
  if (parts[0] === 'processes' && parts.length === 3) {
    const proc = stack.find(parts[1] ?? '');
    if (!proc) return send(res, 404, error('BLW_NOT_FOUND', `no process ${parts[1]}`));
    if (parts[2] === 'stop') {
      await proc.stop();
      return send(res, 200, proc.status());
    }
    if (parts[2] === 'start') {
      proc.start();
      return send(res, 200, proc.status());
    }
    if (parts[2] === 'signal') {
      const signal = String(body.signal ?? 'SIGKILL');
      if (!SIGNALS.has(signal))
        return send(res, 400, error('BLW_BAD_REQUEST', `signal must be one of ${[...SIGNALS].join(', ')}`));
      const sent = proc.signal(signal as NodeJS.Signals);
      return send(res, sent ? 200 : 409, sent ? proc.status() : error('BLW_NOT_RUNNING', `${proc.name} is not running`));
    }
  }
  return send(res, 404, error('BLW_NOT_FOUND', `no route POST ${url.pathname}`));
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
