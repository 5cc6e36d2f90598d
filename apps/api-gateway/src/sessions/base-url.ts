import type { IncomingHttpHeaders } from 'node:http';

/** The URL clients reached this gateway at, for links in responses (HTTP requests and upgrades alike). */
export function baseUrlOf(request: { headers: IncomingHttpHeaders; protocol?: string }): string {
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto =
    (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0]?.trim() ??
    request.protocol ??
    'http';
  return `${proto}://${request.headers.host ?? 'localhost'}`;
}
