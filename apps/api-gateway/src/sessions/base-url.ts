import type { FastifyRequest } from 'fastify';

/** The URL clients reached this gateway at, for links in responses. */
export function baseUrlOf(request: FastifyRequest): string {
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto =
    (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0]?.trim() ??
    request.protocol;
  return `${proto}://${request.headers.host ?? 'localhost'}`;
}
