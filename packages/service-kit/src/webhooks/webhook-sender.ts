import { signWebhook, WEBHOOK_HEADERS } from '@livetranslate/contracts';
import type { WebhookDelivery, WebhookLog } from '@livetranslate/session-store';
import { UnrecoverableError, type Job } from 'bullmq';
import type { WebhookJob } from './webhook-outbox.js';
import { refuseWebhookUrl } from './webhook-url.js';

export interface WebhookSenderSettings {
  secret: string | undefined;
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * Delivers one webhook job: checks the URL again (DNS may point elsewhere by now), POSTs the body
 * signed with WEBHOOK_SIGNING_SECRET, never following redirects, and records the attempt in the
 * session's delivery log. A 2xx is delivered; anything else throws so BullMQ retries with backoff,
 * and the last attempt's failure is recorded as failed. A refused URL is not retried.
 */
export class WebhookSender {
  constructor(
    private readonly log: WebhookLog,
    private readonly settings: WebhookSenderSettings,
    private readonly send: typeof fetch = fetch,
  ) {}

  async deliver(job: Job<WebhookJob>): Promise<void> {
    const { sessionId, url, eventId, eventType, body } = job.data;
    const attempt = job.attemptsMade + 1;
    const last = attempt >= (job.opts.attempts ?? 1);
    const previous = await this.log.get(sessionId, eventId);
    const record = (update: Partial<WebhookDelivery>) =>
      this.log.put(sessionId, {
        event_id: eventId,
        event_type: eventType,
        url,
        status: 'pending',
        created_at: previous?.created_at ?? new Date().toISOString(),
        ...previous,
        attempts: attempt,
        last_attempt_at: new Date().toISOString(),
        ...update,
      });
    const refusal = this.settings.secret
      ? await refuseWebhookUrl(url, this.settings.allowPrivate)
      : 'WEBHOOK_SIGNING_SECRET is not set: nothing can be signed';
    if (refusal) {
      await record({ status: 'refused', last_error: refusal });
      throw new UnrecoverableError(refusal);
    }
    let response: Response;
    try {
      response = await this.send(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LiveTranslate-Webhooks/1',
          [WEBHOOK_HEADERS.signature]: signWebhook(this.settings.secret!, body),
          [WEBHOOK_HEADERS.event]: eventType,
          [WEBHOOK_HEADERS.delivery]: eventId,
        },
        body,
      });
      await response.body?.cancel().catch(() => undefined); // the answer's body is not needed
    } catch (error) {
      const message =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.settings.timeoutMs} ms`
          : (error as Error).message;
      await record({ status: last ? 'failed' : 'pending', last_error: message });
      throw new Error(`webhook ${url}: ${message}`);
    }
    if (response.status >= 200 && response.status < 300) {
      await record({
        status: 'delivered',
        last_status: response.status,
        delivered_at: new Date().toISOString(),
      });
      return;
    }
    const message = `the receiver answered ${response.status}`;
    await record({ status: last ? 'failed' : 'pending', last_status: response.status, last_error: message });
    throw new Error(`webhook ${url}: ${message}`);
  }
}
