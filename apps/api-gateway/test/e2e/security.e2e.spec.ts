import { SENTENCE, speechWav } from './support/audio-fixtures.js';
import { PLATFORM_KEY, Stack, TENANT_A_KEY, TENANT_B_KEY } from './support/stack.js';

const ADMIN_B_KEY = 'admin-key-of-tenant-b';
const KEYS = `${TENANT_A_KEY}:tenant-a,${TENANT_B_KEY}:tenant-b,${ADMIN_B_KEY}:tenant-b:admin,${PLATFORM_KEY}:ops:platform`;
const PUBLIC = new Set(['/healthz', '/readyz', '/metrics']);
const PLATFORM_ONLY = /^\/api\/(config|system\/(streams|alerts))/;

interface Route {
  method: string;
  path: string;
}

describe('keys, roles and tenants: every attack denied (real gateways)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({
      gateways: 2,
      gatewayEnv: { API_KEYS: KEYS, API_RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  afterAll(async () => stack.stop());

  async function routes(): Promise<Route[]> {
    const doc = (await (await fetch(`${stack.gateways[0]!.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  }

  async function call(route: Route, params: Record<string, string>, key?: string): Promise<number> {
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'x');
    // Audio routes: a session's chunk, the upload, and OpenAI's /v1/audio/… endpoints.
    const audio = path.endsWith('/audio') || path.endsWith('/upload') || path.startsWith('/v1/audio/');
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
    const response = await fetch(`${stack.gateways[0]!.url}${path}`, {
      method: route.method,
      headers: {
        ...(key ? { 'x-api-key': key } : {}),
        ...(hasBody ? { 'content-type': audio ? 'audio/wav' : 'application/json', 'if-match': '"1"' } : {}),
      },
      ...(hasBody ? { body: audio ? speechWav(SENTENCE.slice(0, 1)) : '{}' } : {}),
    });
    await response.body?.cancel();
    return response.status;
  }

  it('denies every route without a key, every admin and platform route to a member, and every tenant-A resource to tenant B', async () => {
    const client = stack.client(0, TENANT_A_KEY);
    const session = await client.createSession({});
    const bot = await client.createBot({ meeting_url: 'sim://security', platform: 'simulated' });
    const params = { id: session.session_id, tenant: 'tenant-a', version: '1', name: 'meeting' };
    const all = await routes();
    const attacks: Array<{ who: string; route: Route; status: number }> = [];
    for (const route of all) {
      if (PUBLIC.has(route.path)) continue;
      attacks.push({ who: 'no key', route, status: await call(route, params) });
      attacks.push({ who: 'bad key', route, status: await call(route, params, 'not-a-key-at-all') });
      const botParams = route.path.startsWith('/api/bots/') ? { ...params, id: bot.bot_id } : params;
      if (route.path.includes('{id}') || route.path.includes('{tenant}'))
        attacks.push({ who: 'tenant B member', route, status: await call(route, botParams, TENANT_B_KEY) });
      if (route.path.includes('{tenant}'))
        attacks.push({ who: 'tenant B admin', route, status: await call(route, params, ADMIN_B_KEY) });
      if (PLATFORM_ONLY.test(route.path) || route.path.includes('{tenant}'))
        attacks.push({ who: 'tenant A member', route, status: await call(route, params, TENANT_A_KEY) });
      if (PLATFORM_ONLY.test(route.path))
        attacks.push({ who: 'tenant B admin', route, status: await call(route, params, ADMIN_B_KEY) });
    }
    const allowed = attacks.filter((a) => ![401, 403, 404].includes(a.status));
    expect(allowed.map((a) => `${a.who}: ${a.route.method} ${a.route.path} → ${a.status}`)).toEqual([]);
    expect(attacks.length).toBeGreaterThan(80);
    // And the same routes work for their owner (the corpus is not denying everything).
    expect((await client.getSession(session.session_id)).session_id).toBe(session.session_id);
  });

  it('rate-limits per key across replicas (429 with Retry-After), other keys unaffected', async () => {
    const limited = await Stack.start({
      gateways: 2,
      gatewayEnv: { API_KEYS: KEYS, API_RATE_LIMIT_PER_MINUTE: '5' },
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${limited.gateways[i % 2]!.url}/api/system/health`, {
          headers: { 'x-api-key': TENANT_A_KEY },
        });
        statuses.push(response.status);
        retryAfter ??= response.headers.get('retry-after');
        await response.body?.cancel();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      const other = await fetch(`${limited.gateways[1]!.url}/api/system/health`, {
        headers: { 'x-api-key': TENANT_B_KEY },
      });
      expect(other.status).toBe(200);

      // The chunk route asks the key's budget together with its session read: past it, the same
      // 429, and nothing of the refused chunk is stored.
      const tenantB = { 'x-api-key': TENANT_B_KEY };
      const created = await fetch(`${limited.gateways[0]!.url}/api/sessions`, {
        method: 'POST',
        headers: { ...tenantB, 'content-type': 'application/json' },
        body: '{}',
      });
      const { session_id: sessionId } = (await created.json()) as { session_id: string };
      const chunks: Array<{ status: number; message?: string; retryAfter: string | null }> = [];
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${limited.gateways[i % 2]!.url}/api/sessions/${sessionId}/audio`, {
          method: 'POST',
          headers: { ...tenantB, 'content-type': 'audio/wav' },
          body: speechWav(['yes']),
        });
        const body = (await response.json()) as { error?: { code: string; message: string } };
        chunks.push({
          status: response.status,
          ...(body.error ? { message: body.error.message } : {}),
          retryAfter: response.headers.get('retry-after'),
        });
      }
      expect(chunks.map((c) => c.status)).toEqual([202, 202, 202, 429]);
      expect(chunks[3]!.message).toContain('requests per minute for this API key');
      expect(Number(chunks[3]!.retryAfter)).toBeGreaterThan(0);
      // Another key of the same tenant has its own budget, and sees three chunks.
      const seen = await fetch(`${limited.gateways[1]!.url}/api/sessions/${sessionId}`, {
        headers: { 'x-api-key': ADMIN_B_KEY },
      });
      expect(((await seen.json()) as { chunks: number }).chunks).toBe(3);
    } finally {
      await limited.stop();
    }
  });

  it('closes CORS by default and opens it to named origins only', async () => {
    const preflight = (url: string, origin: string) =>
      fetch(`${url}/api/sessions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-api-key',
        },
      });
    const closed = await preflight(stack.gateways[0]!.url, 'https://app.example.com');
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const open = await stack.addGateway({ API_KEYS: KEYS, CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await preflight(open.url, 'https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await preflight(open.url, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
