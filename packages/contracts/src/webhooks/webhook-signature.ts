import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EventType } from '../wire/event-types.js';

/** The events POSTed to a session's (or bot's) `webhook_url`. */
export const WEBHOOK_EVENT_TYPES = [
  'SessionCompleted',
  'ProcessingFailed',
  'BotStatusUpdate',
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** Headers of every webhook request. Wire names: receivers look for them. */
export const WEBHOOK_HEADERS = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
  signature: 'livetranslate-signature',
  /** The event's type (the body's `event_type`). */
  event: 'livetranslate-event',
  /** The event's id: the same on every retry of one event, so a receiver can drop a repeat. */
  delivery: 'livetranslate-delivery',
} as const;

/** The signature header's value for `body`, sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Checks a webhook request as a receiver should: the signature over the raw body (as received,
 * before any JSON parsing) matches, and its timestamp is within `toleranceSeconds` of now (so a
 * captured request cannot be replayed later). Returns the reason it fails, or null when it is good.
 */
export function verifyWebhook(
  secret: string,
  header: string | null | undefined,
  body: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): string | null {
  if (!header) return 'no signature header';
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return 'malformed signature header';
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return 'timestamp outside the tolerance';
  const expected = Buffer.from(signWebhook(secret, body, timestamp).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return null;
}
