import type { LoggerService } from '@nestjs/common';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
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
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const path = request.url.split('?')[0] ?? '';
    const span = tracer.startSpan(
      `${request.method} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': path,
          'livetranslate.request_id': String(request.id),
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span).setValue(REQUEST_ID_KEY, String(request.id));
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
