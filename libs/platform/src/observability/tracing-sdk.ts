import { context, propagation, trace } from '@opentelemetry/api';

export interface Tracing {
  /** Whether finished spans leave the process (an OTLP endpoint is configured). */
  readonly exporting: boolean;
  /** Exports what is still buffered, then unregisters the SDK. */
  shutdown(): Promise<void>;
}

let current: Promise<Tracing> | undefined;

/**
 * Registers the tracing SDK for an app; call it first in main(). libs/messaging only talks to
 * @opentelemetry/api, which is a no-op until this runs.
 *
 * Spans are always created, with W3C trace context propagated through Kafka headers and an
 * AsyncLocalStorage context manager (without it the active span is lost at the first await).
 * They leave the process only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set;
 * then the NodeSDK is loaded and configured from the standard OTEL_* variables (protocol
 * defaults to OTLP/HTTP protobuf, sampler, batch sizes, resource attributes). Without an
 * endpoint nothing is exported, so there are no connection errors to print, and the SDK
 * packages (~170 ms to load with every exporter) are never required: the bare tracer provider
 * costs about 30 ms.
 *
 * Calling it again returns the first registration: the API accepts one per process.
 */
export function startTracing(serviceName: string): Promise<Tracing> {
  current ??= register(serviceName).catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** Flushes and unregisters the SDK if it was started, waiting at most `timeoutMs`. */
export async function stopTracing(timeoutMs = 2000): Promise<void> {
  const started = current;
  current = undefined;
  if (!started) return;
  const tracing = await started;
  // The batch exporter may wait 30 s on a collector that does not answer: never hold up the exit that long.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([tracing.shutdown().catch(() => undefined), deadline]);
  clearTimeout(timer);
}

async function register(serviceName: string): Promise<Tracing> {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  const contextManager = new AsyncLocalStorageContextManager();
  const propagator = new W3CTraceContextPropagator();

  if (otlpEndpointConfigured()) {
    const { NodeSDK } = await import('@opentelemetry/sdk-node');
    const sdk = new NodeSDK({
      serviceName,
      contextManager,
      textMapPropagator: propagator,
      // Traces only: metrics are scraped from GET /metrics (prom-client), logs go to stdout.
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: [],
    });
    sdk.start();
    return { exporting: true, shutdown: () => sdk.shutdown().finally(unregister) };
  }

  const { TracerProvider } = await import('@opentelemetry/sdk-trace');
  // No span processor: spans get real ids (so traceparent headers are written and downstream
  // services with a collector see one trace) and are dropped when they end.
  const provider = new TracerProvider();
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(propagator);
  trace.setGlobalTracerProvider(provider);
  return { exporting: false, shutdown: () => provider.shutdown().finally(unregister) };
}

function otlpEndpointConfigured(): boolean {
  const set = (name: string) => (process.env[name] ?? '').trim() !== '';
  return set('OTEL_EXPORTER_OTLP_ENDPOINT') || set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
}

function unregister(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}
