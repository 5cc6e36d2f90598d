import { sessionKeys } from '@livetranslate/contracts';
import type { RedisClient } from '@livetranslate/redis-streams';

/** One event's webhook delivery, as the session's delivery log shows it. */
export interface WebhookDelivery {
  event_id: string;
  event_type: string;
  url: string;
  /** pending: queued or being retried; delivered: a 2xx came back; failed: every attempt failed; refused: the URL is not allowed. */
  status: 'pending' | 'delivered' | 'failed' | 'refused';
  attempts: number;
  created_at: string;
  last_attempt_at?: string;
  /** The receiver's HTTP status on the last attempt, when it answered. */
  last_status?: number;
  last_error?: string;
  delivered_at?: string;
}

/** A session's webhook deliveries (a hash per session, event id → delivery; it expires with the session). */
export class WebhookLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async put(sessionId: string, delivery: WebhookDelivery): Promise<void> {
    const key = sessionKeys(this.prefix, sessionId).webhooks;
    await this.redis.hset(key, delivery.event_id, JSON.stringify(delivery));
    await this.redis.expire(key, this.ttlSeconds);
  }

  async get(sessionId: string, eventId: string): Promise<WebhookDelivery | null> {
    const raw = await this.redis.hget(sessionKeys(this.prefix, sessionId).webhooks, eventId);
    return raw ? (JSON.parse(raw) as WebhookDelivery) : null;
  }

  /** Every delivery of the session, oldest first. */
  async all(sessionId: string): Promise<WebhookDelivery[]> {
    const rows = await this.redis.hgetall(sessionKeys(this.prefix, sessionId).webhooks);
    return Object.values(rows)
      .map((raw) => JSON.parse(raw) as WebhookDelivery)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
