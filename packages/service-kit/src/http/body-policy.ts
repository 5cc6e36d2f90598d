import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-envelope.filter.js';

/** What one route accepts as a body: its media types and its size limit. */
export interface BodyPolicy {
  method: 'POST' | 'PUT' | 'PATCH';
  /** The route pattern as registered, e.g. `/api/sessions/:id/audio`. */
  url: string;
  limit: number;
  /** Media types (no parameters); `audio/*` takes the family. */
  types: readonly string[];
}

export interface BodyPolicies {
  routes: readonly BodyPolicy[];
  /** Every other route with a body: JSON only, this large at most. */
  defaultLimit: number;
  defaultTypes?: readonly string[];
}

const POLICY = 'livetranslateBodyPolicy';
type Resolved = { limit: number; types: readonly string[] };

/**
 * Bodies are bounded before they are read. Each route's limit becomes its Fastify `bodyLimit`
 * (streamed bodies stop there), and a request whose declared `Content-Length` is over it, or whose
 * media type the route does not take, is answered at once (413 or 415) without reading the body,
 * and its connection closed so the rest of the upload goes nowhere.
 */
export function enforceBodyPolicies(fastify: FastifyInstance, policies: BodyPolicies): void {
  const fallback: Resolved = {
    limit: policies.defaultLimit,
    types: policies.defaultTypes ?? ['application/json'],
  };
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const policy = policies.routes.find((p) => p.url === route.url && methods.includes(p.method));
    const resolved: Resolved = policy ? { limit: policy.limit, types: policy.types } : fallback;
    route.bodyLimit = resolved.limit;
    route.config = { ...(route.config as object), [POLICY]: resolved } as typeof route.config;
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const policy = (request.routeOptions.config as { [POLICY]?: Resolved } | undefined)?.[POLICY];
    const declared = Number(request.headers['content-length'] ?? 0);
    const hasBody = declared > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!policy || !hasBody) return done();
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!policy.types.some((t) => (t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : t === type))) {
      return refuse(
        request,
        reply,
        415,
        'unsupported_media_type',
        `${request.method} ${request.routeOptions.url} takes ${policy.types.join(', ')}, not ${type || 'a body without a content type'}`,
      );
    }
    if (declared > policy.limit) {
      return refuse(
        request,
        reply,
        413,
        'payload_too_large',
        `the body declares ${declared} bytes; the limit of ${request.method} ${request.routeOptions.url} is ${policy.limit}`,
      );
    }
    done();
  });
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): void {
  const { body } = toErrorResponse(new ApiError(status, code, message), String(request.id));
  // The body is never read: close the connection after answering instead of draining it.
  void reply
    .code(status)
    .header('connection', 'close')
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}
