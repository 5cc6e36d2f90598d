import { randomUUID } from 'node:crypto';
import type { EventType } from '../wire/event-types.js';
import type { EventPayload } from '../events/event-map.js';

/** The only envelope version this code reads and writes (the original service's v1). */
export const SCHEMA_VERSION = 'v1';

/** The single field of a stream entry that holds the JSON envelope. */
export const ENVELOPE_FIELD = 'data';

interface EnvelopeBase {
  schema_version: typeof SCHEMA_VERSION;
  event_id: string;
  source: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  metadata?: Record<string, unknown>;
  trace_id?: string;
  /** W3C trace context of the producer. */
  traceparent?: string;
}

/** The v1 envelope as read off the wire, before its payload is validated. */
export interface RawEnvelope extends EnvelopeBase {
  event_type: string;
  payload: Record<string, unknown>;
}

/** The v1 envelope. Keys are snake_case on the wire, exactly as the original service writes them. */
export interface EventEnvelope<T extends EventType = EventType> extends EnvelopeBase {
  event_type: T;
  payload: EventPayload<T>;
}

export interface CreateEnvelopeOptions {
  source: string;
  eventId?: string;
  timestamp?: Date;
  metadata?: Record<string, unknown>;
  traceId?: string;
  traceparent?: string;
}

/**
 * Formats a timestamp the way Python's `datetime.now(tz=UTC).isoformat()` does
 * (`2025-10-19T18:26:48.123000+00:00`), so consumers of the original service parse it unchanged.
 */
export function formatEnvelopeTimestamp(date: Date): string {
  const ms = date.getTime();
  // Events come in bursts within one millisecond; formatting is the costly part of an envelope.
  if (ms !== lastFormatted.ms) {
    lastFormatted.ms = ms;
    lastFormatted.text = date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
  }
  return lastFormatted.text;
}
const lastFormatted = { ms: NaN, text: '' };

export function createEnvelope<T extends EventType>(
  eventType: T,
  payload: EventPayload<T>,
  options: CreateEnvelopeOptions,
): EventEnvelope<T> {
  const envelope: EventEnvelope<T> = {
    schema_version: SCHEMA_VERSION,
    event_id: options.eventId ?? randomUUID(),
    event_type: eventType,
    source: options.source,
    timestamp: formatEnvelopeTimestamp(options.timestamp ?? new Date()),
    payload,
  };
  if (options.metadata && Object.keys(options.metadata).length > 0) envelope.metadata = options.metadata;
  if (options.traceId) envelope.trace_id = options.traceId;
  if (options.traceparent) envelope.traceparent = options.traceparent;
  return envelope;
}

export const ENVELOPE_REJECTIONS = [
  'invalid_json',
  'not_an_object',
  'missing_field',
  'invalid_field',
  'unsupported_schema_version',
] as const;
export type EnvelopeRejection = (typeof ENVELOPE_REJECTIONS)[number];

export type EnvelopeParseResult =
  { ok: true; envelope: RawEnvelope } | { ok: false; reason: EnvelopeRejection; message: string };

const REQUIRED_STRING_KEYS = ['schema_version', 'event_id', 'event_type', 'source', 'timestamp'] as const;
// Loose on purpose: Python writes microseconds and `+00:00`, JavaScript writes milliseconds and `Z`.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

function reject(reason: EnvelopeRejection, message: string): EnvelopeParseResult {
  return { ok: false, reason, message };
}

/**
 * Parses the `data` field of a stream entry. Returns the envelope, or the precise reason it was
 * rejected (which goes into the dead-letter entry). Unknown envelope keys are ignored.
 * The payload is checked only for being an object; validating it is the event map's job.
 */
export function parseEnvelope(raw: string | Buffer | undefined | null): EnvelopeParseResult {
  if (raw === undefined || raw === null)
    return reject('missing_field', `entry has no "${ENVELOPE_FIELD}" field`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (error) {
    return reject('invalid_json', `"${ENVELOPE_FIELD}" is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return reject('not_an_object', 'envelope must be a JSON object');
  }
  const candidate = parsed as Record<string, unknown>;
  for (const key of REQUIRED_STRING_KEYS) {
    if (!(key in candidate)) return reject('missing_field', `envelope is missing "${key}"`);
    if (typeof candidate[key] !== 'string' || candidate[key] === '') {
      return reject('invalid_field', `envelope "${key}" must be a non-empty string`);
    }
  }
  if (candidate.schema_version !== SCHEMA_VERSION) {
    return reject(
      'unsupported_schema_version',
      `schema_version "${String(candidate.schema_version)}" is not supported (expected "${SCHEMA_VERSION}")`,
    );
  }
  if (!('payload' in candidate)) return reject('missing_field', 'envelope is missing "payload"');
  const payload = candidate.payload;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return reject('invalid_field', 'envelope "payload" must be an object');
  }
  if (
    !ISO_8601.test(candidate.timestamp as string) ||
    Number.isNaN(Date.parse(candidate.timestamp as string))
  ) {
    return reject('invalid_field', `envelope "timestamp" is not ISO-8601: ${String(candidate.timestamp)}`);
  }
  for (const key of ['metadata'] as const) {
    const value = candidate[key];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      return reject('invalid_field', `envelope "${key}" must be an object when present`);
    }
  }
  for (const key of ['trace_id', 'traceparent'] as const) {
    const value = candidate[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return reject('invalid_field', `envelope "${key}" must be a string when present`);
    }
  }
  const envelope: RawEnvelope = {
    schema_version: SCHEMA_VERSION,
    event_id: candidate.event_id as string,
    event_type: candidate.event_type as string,
    source: candidate.source as string,
    timestamp: candidate.timestamp as string,
    payload: payload as Record<string, unknown>,
  };
  if (candidate.metadata) envelope.metadata = candidate.metadata as Record<string, unknown>;
  if (typeof candidate.trace_id === 'string') envelope.trace_id = candidate.trace_id;
  if (typeof candidate.traceparent === 'string') envelope.traceparent = candidate.traceparent;
  return { ok: true, envelope };
}
