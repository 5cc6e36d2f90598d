import { Logger } from '@nestjs/common';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts OpenTelemetry from the standard `OTEL_*` variables. Trace context always propagates
 * (W3C traceparent across HTTP and the event bus); spans are exported over OTLP/HTTP only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set. `OTEL_SDK_DISABLED=true` turns it off.
 * Returns the shutdown that flushes pending spans.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): () => Promise<void> {
  if (env.OTEL_SDK_DISABLED === 'true') return async () => undefined;
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    ...(exporting ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [] }),
    instrumentations: [],
  });
  sdk.start();
  if (exporting)
    new Logger('tracing').log(`exporting traces over OTLP as ${env.OTEL_SERVICE_NAME ?? serviceName}`);
  return () => sdk.shutdown();
}
