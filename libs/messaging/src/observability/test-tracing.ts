import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * For tests only, and deliberately not exported from the library's index: it loads the SDK,
 * which production code gets from libs/platform's startTracing. Import it by path.
 */
export interface TestTracing {
  /** Finished spans, in the order they ended. */
  readonly exporter: InMemorySpanExporter;
  /** Forget the spans recorded so far (call it in beforeEach). */
  reset(): void;
}

let installed: TestTracing | undefined;

/**
 * Registers, as the global SDK, a tracer provider that keeps every finished span in memory, the
 * W3C propagator and an AsyncLocalStorage context manager (without one, the active span is lost
 * at the first await). The API takes one registration per global, i.e. per jest test file, so
 * later calls return the first installation; it fails if something else registered first.
 */
export function installTestTracing(): TestTracing {
  if (installed) return installed;
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const registered =
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()) &&
    propagation.setGlobalPropagator(new W3CTraceContextPropagator()) &&
    trace.setGlobalTracerProvider(provider);
  if (!registered) throw new Error('installTestTracing: a tracing SDK is already registered in this process');
  installed = { exporter, reset: () => exporter.reset() };
  return installed;
}
