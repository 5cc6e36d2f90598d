import type { LoggerService } from '@nestjs/common';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The request id of the work under way, for log lines (set per HTTP request and WebSocket session). */
export const REQUEST_ID_KEY = createContextKey('livetranslate.request_id');

const tracer = trace.getTracer('@livetranslate/service-kit');
const CONTEXT = Symbol('livetranslate.trace-context');
type TracedRequest = FastifyRequest & { [CONTEXT]?: Context };

/** Query parameters that carry credentials (browsers cannot set headers on a WebSocket or EventSource). */
const SECRET_PARAMS = /([?&](?:token|api_key|apikey|key|access_token)=)[^&#]*/gi;

/** The URL as it may be logged: credentials in the query replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * A server span for work a client asked for (an HTTP request, a WebSocket session), child of the
 * trace its carrier names (`traceparent`), and the context to run that work in: the span active and
 * the request id set for log lines.
 */
export function startServerSpan(
  name: string,
  carrier: Record<string, unknown>,
  requestId: string,
  attributes: Attributes = {},
): { span: Span; context: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.SERVER, attributes: { ...attributes, 'livetranslate.request_id': requestId } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span).setValue(REQUEST_ID_KEY, requestId) };
}

export interface RequestTracingOptions {
  /** Where one line per request goes; omitted, requests are traced but not logged. */
  accessLog?: LoggerService;
  /** Paths logged at debug level only (probes and scrapes arrive every few seconds). */
  quietPaths?: readonly string[];
}

/**
 * A server span for every HTTP request, child of the caller's `traceparent` when it sends one,
 * active while the route runs (so the spans and envelopes it produces join the trace), and the
 * request id in the context for log lines. No Fastify instrumentation matches this OpenTelemetry
 * line, and ESM auto-instrumentation needs a loader hook at every launch: explicit hooks instead.
 */
export function traceRequests(fastify: FastifyInstance, options: RequestTracingOptions = {}): void {
  const quiet = new Set(options.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0] ?? '';
    const { span, context: active } = startServerSpan(
      `${request.method} ${path}`,
      request.headers,
      String(request.id),
      {
        'http.request.method': request.method,
        'url.path': path,
      },
    );
    (request as TracedRequest)[CONTEXT] = active;
    // 'close' fires for every response, also the hijacked ones (Server-Sent Events).
    reply.raw.once('close', () => {
      const status = reply.raw.statusCode;
      const route = request.routeOptions?.url;
      if (route) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const logger = options.accessLog;
      if (!logger) return;
      const line = `${request.method} ${redactUrl(request.url)} ${status} ${reply.elapsedTime.toFixed(1)}ms`;
      context.with(active, () =>
        quiet.has(path) ? logger.debug?.(line, 'access') : logger.log(line, 'access'),
      );
    });
    context.with(active, done);
  });
  // After body parsing, so the route handler (called from `done`) runs inside the span's context.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const active = (request as TracedRequest)[CONTEXT];
    if (active) context.with(active, done);
    else done();
  });
}
