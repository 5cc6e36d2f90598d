import { createHash } from 'node:crypto';
import {
  isWebhookEventType,
  QUEUE_NAMES,
  SESSION_FIELDS,
  sessionKeys,
  type EventEnvelope,
} from '@livetranslate/contracts';
import type { RedisClient } from '@livetranslate/redis-streams';
import type { WebhookLog } from '@livetranslate/session-store';
import type { JobQueues } from '../queues/job-queues.js';

/** One event on its way to one webhook URL (a BullMQ job of the `webhooks` queue). */
export interface WebhookJob {
  sessionId: string;
  url: string;
  eventId: string;
  eventType: string;
  /** The exact bytes to POST (and sign). */
  body: string;
}

export interface WebhookOutboxSettings {
  prefix: string;
  maxAttempts: number;
  backoffMs: number;
}

/** How long finished jobs are kept: a repeated offer of the same event within it is dropped. */
const KEEP_FINISHED_SECONDS = 24 * 3600;

/**
 * Queues a session's webhook events (SessionCompleted, ProcessingFailed, BotStatusUpdate) for the
 * session's `webhook_url`, once per event: the job id is derived from the event id, so a writer
 * that repeats a write after a crash queues nothing new. Delivery and retries are the
 * audio-pipeline-worker's (WebhookSender).
 */
export class WebhookOutbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly jobs: JobQueues,
    private readonly log: WebhookLog,
    private readonly settings: WebhookOutboxSettings,
  ) {}

  async offer(sessionId: string, envelope: EventEnvelope): Promise<void> {
    if (!isWebhookEventType(envelope.event_type)) return;
    const url = await this.urlOf(sessionId);
    if (!url) return;
    if (!(await this.log.get(sessionId, envelope.event_id))) {
      await this.log.put(sessionId, {
        event_id: envelope.event_id,
        event_type: envelope.event_type,
        url,
        status: 'pending',
        attempts: 0,
        created_at: new Date().toISOString(),
      });
    }
    const job: WebhookJob = {
      sessionId,
      url,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: JSON.stringify({
        event_id: envelope.event_id,
        event_type: envelope.event_type,
        timestamp: envelope.timestamp,
        session_id: sessionId,
        payload: envelope.payload,
      }),
    };
    await this.jobs.queue<WebhookJob>(QUEUE_NAMES.webhooks).add(envelope.event_type, job, {
      // BullMQ job ids may not contain ':'; a digest of the pair is stable and safe.
      jobId: createHash('sha256').update(`${sessionId}\n${envelope.event_id}\n${url}`).digest('hex'),
      attempts: this.settings.maxAttempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      removeOnComplete: { age: KEEP_FINISHED_SECONDS },
      removeOnFail: { age: KEEP_FINISHED_SECONDS },
    });
  }

  private async urlOf(sessionId: string): Promise<string | undefined> {
    const raw = await this.redis.hget(
      sessionKeys(this.settings.prefix, sessionId).meta,
      SESSION_FIELDS.options,
    );
    if (!raw) return undefined;
    return (JSON.parse(raw) as { webhook_url?: string }).webhook_url || undefined;
  }
}
