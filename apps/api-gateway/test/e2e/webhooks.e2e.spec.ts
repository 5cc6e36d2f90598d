import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, WEBHOOK_HEADERS } from '@livetranslate/contracts';
import { speechWav } from './support/audio-fixtures.js';
import { waitForBot, ended } from './support/bots.js';
import { Stack, TENANT_A_KEY, until } from './support/stack.js';

const SECRET = 'test-webhook-signing-secret';
const WEBHOOKS = { WEBHOOK_SIGNING_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_MS: '100' };

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook receiver: records every request; answers 500 to the first `failFirst` on a path. */
async function receiver(failFirst: Record<string, number> = {}) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body });
      const count = (seen.get(path) ?? 0) + 1;
      seen.set(path, count);
      response.writeHead(count <= (failFirst[path] ?? 0) ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const eventsOf = (received: Received[], path: string) =>
  received
    .filter((r) => r.path === path)
    .map(
      (r) =>
        JSON.parse(r.body) as {
          event_type: string;
          event_id: string;
          session_id: string;
          payload: Record<string, unknown>;
        },
    );

describe('webhooks (real processes, a receiver in the test)', () => {
  let stack: Stack;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  type Delivery = { status: string; attempts: number; event_type: string; url: string; last_status?: number };
  const deliveries = async (sessionId: string) =>
    (
      (await (
        await fetch(`${stack.gateways[0]!.url}/api/sessions/${sessionId}/webhooks`, {
          headers: { authorization: `Bearer ${TENANT_A_KEY}` },
        })
      ).json()) as { deliveries: Delivery[] }
    ).deliveries;
  beforeAll(async () => {
    hooks = await receiver({ '/flaky': 2 });
    stack = await Stack.start({ gatewayEnv: WEBHOOKS, workerEnv: WEBHOOKS });
  });
  afterAll(async () => {
    await stack?.stop();
    await hooks?.close();
  });

  it('POSTs SessionCompleted signed (HMAC-SHA256 over timestamp and body), and the delivery log says so', async () => {
    const client = stack.client();
    const upload = await client.upload(speechWav(['hello', 'world']), {
      target_languages: ['es'],
      webhook_url: `${hooks.url}/done`,
    });
    for await (const _ of client.events(upload.session_id)); // to its SessionCompleted
    const request = await until('the webhook', async () => hooks.received.find((r) => r.path === '/done'));
    expect(
      verifyWebhook(SECRET, request.headers[WEBHOOK_HEADERS.signature] as string, request.body),
    ).toBeNull();
    expect(
      verifyWebhook(
        'another-secret-entirely',
        request.headers[WEBHOOK_HEADERS.signature] as string,
        request.body,
      ),
    ).toBe('signature mismatch');
    const [event] = eventsOf(hooks.received, '/done');
    expect(event).toMatchObject({ event_type: 'SessionCompleted', session_id: upload.session_id });
    expect(event!.payload).toMatchObject({ failed_chunks: 0 });
    expect(request.headers[WEBHOOK_HEADERS.event]).toBe('SessionCompleted');
    expect(request.headers[WEBHOOK_HEADERS.delivery]).toBe(event!.event_id);

    const [delivery] = await until('the delivery recorded', async () => {
      const log = await deliveries(upload.session_id);
      return log[0]?.status === 'delivered' ? log : undefined;
    });
    expect(delivery).toMatchObject({ event_type: 'SessionCompleted', url: `${hooks.url}/done`, attempts: 1 });
  });

  it('retries a failing receiver with backoff until it takes the event, once', async () => {
    const client = stack.client();
    const upload = await client.upload(speechWav(['good']), { webhook_url: `${hooks.url}/flaky` });
    const delivered = await until('delivered after retries', async () =>
      (await deliveries(upload.session_id)).find((d) => d.status === 'delivered'),
    );
    expect(delivered).toMatchObject({ attempts: 3, last_status: 204 });
    const requests = hooks.received.filter((r) => r.path === '/flaky');
    expect(requests).toHaveLength(3); // two 500s, then the 204
    expect(new Set(requests.map((r) => r.headers[WEBHOOK_HEADERS.delivery])).size).toBe(1);
  });

  it('refuses a webhook_url reaching a private address unless allowed, and any without a signing secret', async () => {
    const strict = await stack.addGateway({ WEBHOOK_SIGNING_SECRET: SECRET });
    const unsigned = await stack.addGateway({});
    const create = (gateway: { url: string }, url: string) =>
      fetch(`${gateway.url}/api/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TENANT_A_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ webhook_url: url }),
      });
    for (const target of [`${hooks.url}/x`, 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x']) {
      const response = await create(strict, target);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('webhook_url_refused');
    }
    const response = await create(unsigned, `${hooks.url}/x`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'webhooks_not_configured',
    );
    const malformed = await create(strict, 'not a url');
    expect(malformed.status).toBe(400);
  });

  it('POSTs a bot’s status changes, then its session’s completion after its final status', async () => {
    await stack.addBotWorker('bots-webhooks', WEBHOOKS);
    const client = stack.client();
    const bot = await client.createBot({
      meeting_url: 'sim://hooked?lobby_ms=200&words=hello+world',
      platform: 'simulated',
      target_languages: [],
      webhook_url: `${hooks.url}/bot`,
    });
    await waitForBot(client, bot.bot_id, ended, 30_000);
    const events = await until('the bot’s completion webhook', async () => {
      const all = eventsOf(hooks.received, '/bot');
      return all.some((e) => e.event_type === 'SessionCompleted') ? all : undefined;
    });
    const statuses = events.filter((e) => e.event_type === 'BotStatusUpdate').map((e) => e.payload.status);
    expect(statuses).toEqual(expect.arrayContaining(['joining', 'active', 'stopped']));
    // In the log, nothing follows the completion: the bot's last status comes before it.
    const log = await stack.log(bot.session_id);
    expect(log[log.length - 1]!.type).toBe('SessionCompleted');
    expect(log.findIndex((e) => e.type === 'BotStatusUpdate' && e.payload.status === 'stopped')).toBeLessThan(
      log.length - 1,
    );
  });
});

describe('webhooks for failures (real processes, Whisper failing every request)', () => {
  let stack: Stack;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hooks = await receiver();
    stack = await Stack.start({
      gatewayEnv: WEBHOOKS,
      workerEnv: { ...WEBHOOKS, DOWNSTREAM_MAX_ATTEMPTS: '1' },
      whisperEnv: { MOCK_FAILURE_EVERY: '1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await hooks?.close();
  });

  it('POSTs each ProcessingFailed, then SessionCompleted counting the failed chunk', async () => {
    const client = stack.client();
    const upload = await client.upload(speechWav(['yes']), { webhook_url: `${hooks.url}/failing` });
    const events = await until('both webhooks', async () => {
      const all = eventsOf(hooks.received, '/failing');
      return all.length >= 2 ? all : undefined;
    });
    expect(events.map((e) => e.event_type).sort()).toEqual(['ProcessingFailed', 'SessionCompleted']);
    expect(events.find((e) => e.event_type === 'ProcessingFailed')!.payload).toMatchObject({
      stage: 'transcription',
      error_code: 'injected_failure',
      session_id: upload.session_id,
    });
    expect(events.find((e) => e.event_type === 'SessionCompleted')!.payload).toMatchObject({
      total_chunks: 1,
      failed_chunks: 1,
    });
  });
});
