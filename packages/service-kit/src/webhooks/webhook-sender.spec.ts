import { verifyWebhook, WEBHOOK_HEADERS } from '@livetranslate/contracts';
import type { WebhookDelivery, WebhookLog } from '@livetranslate/session-store';
import { UnrecoverableError, type Job } from 'bullmq';
import type { WebhookJob } from './webhook-outbox.js';
import { WebhookSender } from './webhook-sender.js';

const SECRET = 'a-secret-of-sixteen+';

function harness(answer: (init: RequestInit) => Promise<Response>, secret: string | null = SECRET) {
  const records: WebhookDelivery[] = [];
  const log = {
    get: async () => records[records.length - 1] ?? null,
    put: async (_session: string, delivery: WebhookDelivery) => void records.push(delivery),
  } as unknown as WebhookLog;
  const sent: RequestInit[] = [];
  const send = (async (_url: string, init: RequestInit) => {
    sent.push(init);
    return answer(init);
  }) as typeof fetch;
  const sender = new WebhookSender(
    log,
    { secret: secret ?? undefined, allowPrivate: true, timeoutMs: 1000 },
    send,
  );
  const job = (attemptsMade: number, attempts = 3) =>
    ({
      data: {
        sessionId: 's',
        url: 'http://127.0.0.1:9/hook',
        eventId: 'e-1',
        eventType: 'SessionCompleted',
        body: '{"event_type":"SessionCompleted"}',
      },
      attemptsMade,
      opts: { attempts },
    }) as unknown as Job<WebhookJob>;
  return { sender, records, sent, job };
}

describe('WebhookSender', () => {
  it('signs the body it POSTs and records a 2xx as delivered', async () => {
    const h = harness(async () => new Response(null, { status: 204 }));
    await h.sender.deliver(h.job(0));
    const headers = h.sent[0]!.headers as Record<string, string>;
    expect(verifyWebhook(SECRET, headers[WEBHOOK_HEADERS.signature], h.sent[0]!.body as string)).toBeNull();
    expect(h.sent[0]!.redirect).toBe('manual');
    expect(h.records.at(-1)).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204 });
  });

  it('throws (to be retried) on anything else, redirects included, and marks the last attempt failed', async () => {
    const redirect = harness(
      async () => new Response(null, { status: 302, headers: { location: 'http://10.0.0.1/' } }),
    );
    await expect(redirect.sender.deliver(redirect.job(0))).rejects.toThrow('answered 302');
    expect(redirect.records.at(-1)).toMatchObject({ status: 'pending', attempts: 1, last_status: 302 });
    expect(redirect.sent).toHaveLength(1);

    const down = harness(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(down.sender.deliver(down.job(2))).rejects.toThrow('fetch failed');
    expect(down.records.at(-1)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'fetch failed' });
  });

  it('does not retry what it may not send: no signing secret', async () => {
    const h = harness(async () => new Response(null, { status: 204 }), null);
    await expect(h.sender.deliver(h.job(0))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(h.sent).toEqual([]);
    expect(h.records.at(-1)).toMatchObject({
      status: 'refused',
      last_error: expect.stringContaining('WEBHOOK_SIGNING_SECRET'),
    });
  });
});
