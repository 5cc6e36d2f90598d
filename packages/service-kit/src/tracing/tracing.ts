import { Logger } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

const DISCARD_SPANS = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Starts OpenTelemetry from the standard `OTEL_*` variables. Trace context always propagates
 * (W3C traceparent across HTTP and the event bus); spans are exported over OTLP/HTTP only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set. `OTEL_SDK_DISABLED=true` turns spans
 * off; the context still flows, so log lines keep their request ids and callers' traceparents pass on.
 * Returns the shutdown that flushes pending spans.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): () => Promise<void> {
  if (env.OTEL_SDK_DISABLED === 'true') {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    return async () => undefined;
  }
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    // Not exporting still needs a tracer provider: trace ids then exist (logs carry them, and the
    // worker continues the gateway's trace) while nothing leaves the process.
    ...(exporting ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [DISCARD_SPANS] }),
    instrumentations: [],
  });
  sdk.start();
  if (exporting)
    new Logger('tracing').log(`exporting traces over OTLP as ${env.OTEL_SERVICE_NAME ?? serviceName}`);
  return () => sdk.shutdown();
}
