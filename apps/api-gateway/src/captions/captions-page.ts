import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** What the page may load and reach: its own files, and its own origin over HTTP and WebSocket. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The built captions page (`packages/captions-web`), wherever the workspace or the image installed it. */
export function captionsPageDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@livetranslate/captions-web/package.json');
  return join(dirname(manifest), 'dist');
}

/**
 * Serves the live captions page at `/` and `/live/:sessionId`, its files under `/assets/`. The page
 * holds no data: it asks for an API key and calls the API like any client, so nothing is served
 * without one but the page itself. No page is served when it was not built (the API still is).
 */
export async function serveCaptionsPage(
  app: NestFastifyApplication,
  dir = captionsPageDir(),
): Promise<boolean> {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile, 'utf8');
  const fastify = app.getHttpAdapter().getInstance();
  const headers = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'microphone=(self)',
  };
  await fastify.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    // Hashed names: a file never changes under its name.
    immutable: true,
    maxAge: '365d',
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    },
  });
  const page = (
    _request: unknown,
    reply: { headers(h: object): { type(t: string): { send(b: string): unknown } } },
  ) =>
    reply
      .headers({ ...headers, 'cache-control': 'no-cache' })
      .type('text/html; charset=utf-8')
      .send(index);
  fastify.get('/', page as never);
  fastify.get('/live/:sessionId', page as never);
  return true;
}
