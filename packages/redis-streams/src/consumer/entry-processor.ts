import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ENVELOPE_FIELD,
  inSpan,
  isEventType,
  parseEnvelope,
  validatePayload,
} from '@livetranslate/contracts';
import type { IdempotencyMarkers } from '../idempotency-markers.js';
import { fieldOf } from '../stream-entry.js';
import type { TransportCounter } from '../transport-metrics.js';
import { describeError, type ConsumerLogger } from './consumer-logger.js';
import type { DeadLetterWriter } from './dead-letter-writer.js';
import type { DeliveredEvent, HandlerResolver, EventHandlerFn } from './delivered-event.js';

export interface EntryProcessorSettings {
  group: string;
  consumer: string;
  maxDeliveries: number;
}

/** One entry as read or claimed, with how many times Redis has delivered it (this one included). */
export interface ReadEntry {
  stream: string;
  id: string;
  fields: string[] | null;
  deliveries: number;
  reclaimed: boolean;
}

export type CountFn = (counter: TransportCounter, stream: string, eventType: string) => void;

const TRACER = '@livetranslate/redis-streams';

/**
 * Decides what happens to one entry: dead-letter what is malformed or delivered too often, ack and
 * skip event types nobody here handles, ack duplicates of finished events, otherwise run the handler
 * under its trace context and ack only once it succeeded. A handler failure leaves the entry pending.
 */
export class EntryProcessor {
  constructor(
    private readonly settings: EntryProcessorSettings,
    private readonly resolveHandler: HandlerResolver,
    private readonly markers: IdempotencyMarkers,
    private readonly deadLetters: DeadLetterWriter,
    private readonly count: CountFn,
    private readonly logger: ConsumerLogger,
  ) {}

  async process(entry: ReadEntry): Promise<void> {
    const { stream, id, deliveries } = entry;
    const { group, consumer, maxDeliveries } = this.settings;
    const raw = fieldOf(entry.fields, ENVELOPE_FIELD);
    const parsed = parseEnvelope(raw);
    if (entry.reclaimed) this.count('reclaimed', stream, parsed.ok ? parsed.envelope.event_type : 'unknown');
    if (!parsed.ok) {
      recordPoison(entry, undefined, parsed.reason, parsed.message);
      return this.deadLetter(entry, raw, parsed.reason, parsed.message, 'unknown');
    }
    const envelope = parsed.envelope;
    const eventType = envelope.event_type;
    const handler = this.resolveHandler(eventType);
    if (!handler) {
      await this.markers.completeAndAck(stream, id);
      this.count('skipped', stream, eventType);
      return;
    }
    let payload: object = envelope.payload;
    if (isEventType(eventType)) {
      const validation = validatePayload(eventType, envelope.payload);
      if (!validation.ok) {
        recordPoison(entry, envelope.traceparent, 'invalid_payload', validation.errors.join('; '));
        return this.deadLetter(entry, raw, 'invalid_payload', validation.errors.join('; '), eventType);
      }
      payload = validation.value;
    }
    // Checked before the handler runs: an entry whose consumer dies on every delivery never reaches
    // the failure branch below, yet must still end up in the dead-letter stream.
    if (deliveries > maxDeliveries) {
      const lastError = (await this.markers.lastError(stream, id)) ?? 'no error recorded (consumer died?)';
      // An earlier delivery may hold the event's claim: give it back, or a duplicate entry of the
      // event would be acked as done once this one is.
      await this.markers.release(stream, envelope.event_id, id);
      return this.deadLetter(entry, raw, 'max_deliveries_exceeded', lastError, eventType);
    }
    const claim = await this.markers.begin(stream, envelope.event_id, id);
    if (claim === 'done') {
      await this.markers.completeAndAck(stream, id);
      this.count('duplicates', stream, eventType);
      return;
    }
    if (claim === 'busy') return; // The same event is running elsewhere; retried on reclaim.

    try {
      await runTraced(handler, { stream, entryId: id, group, consumer, deliveries, envelope, payload });
    } catch (error) {
      this.count('failed', stream, eventType);
      const message = describeError(error);
      await this.markers.release(stream, envelope.event_id, id);
      await this.markers.recordError(stream, id, message);
      this.logger.warn(
        `handler for ${eventType} failed (delivery ${deliveries}/${maxDeliveries}): ${message}`,
      );
      if (deliveries >= maxDeliveries) {
        await this.deadLetter(entry, raw, 'max_deliveries_exceeded', message, eventType);
      }
      return;
    }
    await this.markers.completeAndAck(stream, id);
    this.count('handled', stream, eventType);
  }

  private async deadLetter(
    entry: ReadEntry,
    raw: string | undefined,
    reason: string,
    error: string,
    eventType: string,
  ): Promise<void> {
    const { stream, id, deliveries } = entry;
    await this.deadLetters.write({ stream, id, raw, deliveries, reason, error, eventType });
    await this.markers.completeAndAck(stream, id);
    this.count('dead_lettered', stream, eventType);
    this.logger.warn(`dead-lettered ${stream} ${id} (${reason}): ${error}`);
  }
}

/** A poison entry is a failed span (in its producer's trace when it names one), so traces show it. */
function recordPoison(
  entry: ReadEntry,
  traceparent: string | undefined,
  reason: string,
  message: string,
): void {
  const parent = propagation.extract(otelContext.active(), traceparent ? { traceparent } : {});
  const span = trace.getTracer(TRACER).startSpan(
    'poison entry dead-lettered',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'redis',
        'messaging.destination.name': entry.stream,
        'messaging.message.id': entry.id,
        'livetranslate.dead_letter.reason': reason,
      },
    },
    parent,
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${reason}: ${message}`.slice(0, 500) });
  span.end();
}

async function runTraced(handler: EventHandlerFn, event: DeliveredEvent): Promise<void> {
  const carrier = event.envelope.traceparent ? { traceparent: event.envelope.traceparent } : {};
  await inSpan(
    TRACER,
    `${event.envelope.event_type} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'redis',
        'messaging.destination.name': event.stream,
        'messaging.consumer.group.name': event.group,
        'messaging.message.id': event.envelope.event_id,
      },
    },
    () => handler(event),
    propagation.extract(otelContext.active(), carrier),
  );
}
