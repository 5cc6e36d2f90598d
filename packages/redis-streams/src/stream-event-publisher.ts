import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import {
  createEnvelope,
  ENVELOPE_FIELD,
  EVENT_STREAM,
  resolveStreamNames,
  payloadErrors,
  type EventEnvelope,
  type EventPayload,
  type EventType,
  type StreamNames,
} from '@livetranslate/contracts';
import type { RedisClient } from './connection.js';
import { closeRedis, openRedis, type RedisConnection } from './connection.js';

export interface PublishOptions {
  /** Stream key; defaults to the event type's stream from the contracts map. */
  stream?: string;
  /** Reuse an id to make a retried publish idempotent for consumers. */
  eventId?: string;
  metadata?: Record<string, unknown>;
}

export interface StreamEventPublisherOptions {
  connection: RedisConnection | RedisClient;
  /** This app's name, written as the envelope's `source`. */
  source: string;
  /** Stream keys; defaults to the environment's `EVENT_STREAM_*` names. */
  streams?: StreamNames;
  /**
   * Age-based retention per stream key, in ms, applied on every append (`XADD MINID ~`). Meant for
   * streams no consumer group reads (results, monitoring), which group-bounded trimming never
   * shortens; give it a stream with groups only with an age far beyond their reclaim window.
   */
  maxAgeMs?: Readonly<Record<string, number>>;
}

/** The publishing half of the bus, broker-neutral in shape: another broker can implement it. */
export interface EventPublisher {
  publish<T extends EventType>(
    eventType: T,
    payload: EventPayload<T>,
    options?: PublishOptions,
  ): Promise<string>;
}

export class InvalidEventPayloadError extends Error {
  constructor(
    readonly eventType: string,
    readonly errors: string[],
  ) {
    super(`invalid ${eventType} payload: ${errors.join('; ')}`);
    this.name = 'InvalidEventPayloadError';
  }
}

/**
 * Typed publisher: validates the payload against its contracts class, wraps it in the v1 envelope
 * (with the active trace context), XADDs it and returns the entry id. Streams are never capped by
 * length; streams that groups read are trimmed to group progress (see StreamRetention), the others
 * by age when `maxAgeMs` names them.
 */
export class StreamEventPublisher implements EventPublisher {
  readonly redis: RedisClient;
  private readonly ownsConnection: boolean;
  private readonly streams: StreamNames;

  constructor(private readonly options: StreamEventPublisherOptions) {
    const given = options.connection;
    this.ownsConnection = !(typeof given === 'object' && 'xadd' in given);
    this.redis = this.ownsConnection
      ? openRedis(given as RedisConnection, `${options.source}:publisher`, { enableAutoPipelining: true })
      : (given as RedisClient);
    if (this.ownsConnection) this.redis.on('error', () => undefined);
    this.streams = options.streams ?? resolveStreamNames();
  }

  streamFor(eventType: EventType): string {
    return this.streams[EVENT_STREAM[eventType]];
  }

  envelope<T extends EventType>(
    eventType: T,
    payload: EventPayload<T>,
    options: PublishOptions = {},
  ): EventEnvelope<T> {
    const errors = payloadErrors(eventType, payload);
    if (errors) throw new InvalidEventPayloadError(eventType, errors);
    const carrier: Record<string, string> = {};
    propagation.inject(otelContext.active(), carrier);
    const span = trace.getActiveSpan()?.spanContext();
    return createEnvelope(eventType, payload, {
      source: this.options.source,
      ...(options.eventId ? { eventId: options.eventId } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
      ...(span ? { traceId: span.traceId } : {}),
    });
  }

  async publish<T extends EventType>(
    eventType: T,
    payload: EventPayload<T>,
    options: PublishOptions = {},
  ): Promise<string> {
    return this.publishEnvelope(this.envelope(eventType, payload, options), options.stream);
  }

  /** Appends an envelope built with `envelope()` (e.g. one also written elsewhere) as it is. */
  async publishEnvelope<T extends EventType>(envelope: EventEnvelope<T>, stream?: string): Promise<string> {
    const target = stream ?? this.streamFor(envelope.event_type);
    const data = JSON.stringify(envelope);
    const maxAgeMs = this.options.maxAgeMs?.[target];
    if (maxAgeMs !== undefined && maxAgeMs > 0) {
      // `~` lets Redis drop whole nodes only: cheap, and never more than asked for.
      const floor = `${Math.max(0, Date.now() - maxAgeMs)}-0`;
      return (await this.redis.xadd(target, 'MINID', '~', floor, '*', ENVELOPE_FIELD, data)) as string;
    }
    return (await this.redis.xadd(target, '*', ENVELOPE_FIELD, data)) as string;
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await closeRedis(this.redis);
  }
}
