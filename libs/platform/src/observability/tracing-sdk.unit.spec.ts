import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { injectTraceHeaders } from '@bulwark/messaging';
import { startTracing, stopTracing } from './tracing-sdk';

interface Received {
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A stand-in OTLP/HTTP collector that keeps every request. */
async function startCollector(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** The trace headers a message published inside a fresh span `work` would carry. */
function headersFromSpan(): Record<string, string> {
  const span = trace.getTracer('test').startSpan('work');
  try {
    return context.with(trace.setSpan(context.active(), span), () => injectTraceHeaders());
  } finally {
    span.end();
  }
}

const OTEL_ENV = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const;

describe('startTracing', () => {
  const saved = Object.fromEntries(OTEL_ENV.map((k) => [k, process.env[k]]));
  beforeEach(() => OTEL_ENV.forEach((k) => delete process.env[k]));
  afterEach(async () => {
    jest.restoreAllMocks();
    await stopTracing();
    OTEL_ENV.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])));
  });

  it('without an endpoint still creates real spans, so traceparent headers are written', async () => {
    expect(headersFromSpan()).toEqual({}); // nothing registered yet: the API is a no-op

    const tracing = await startTracing('svc-a');

    expect(tracing.exporting).toBe(false);
    expect(headersFromSpan().traceparent).toMatch(/^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-01$/);
  });

  it('without an endpoint prints nothing, neither at start nor at stop', async () => {
    const writes = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')];
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m));

    await startTracing('svc-a');
    headersFromSpan();
    await stopTracing();

    for (const spy of [...writes, ...logs]) expect(spy).not.toHaveBeenCalled();
  });

  it('registers once: a second call returns the first registration', async () => {
    const first = await startTracing('svc-a');

    await expect(startTracing('svc-b')).resolves.toBe(first);
  });

  it('unregisters on stop, so it can be started again', async () => {
    await startTracing('svc-a');
    await stopTracing();

    expect(headersFromSpan()).toEqual({});
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT exports spans over OTLP/HTTP, flushed by stopTracing', async () => {
    const collector = await startCollector();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
    try {
      const tracing = await startTracing('svc-exporting');
      expect(tracing.exporting).toBe(true);
      expect(headersFromSpan().traceparent).toBeDefined();

      await stopTracing();

      const traces = collector.received.filter((r) => r.url === '/v1/traces');
      expect(traces).toHaveLength(1);
      expect(traces[0]?.headers['content-type']).toBe('application/x-protobuf');
      // Protobuf keeps strings as plain UTF-8: the service name and span name are in the body.
      expect(traces[0]?.body.includes('svc-exporting')).toBe(true);
      expect(traces[0]?.body.includes('work')).toBe(true);
    } finally {
      await new Promise((resolve) => collector.server.close(resolve));
    }
  });
});
