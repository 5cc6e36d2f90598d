import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  deadLetterStreamOf,
  ENVELOPE_FIELD,
  isEventType,
  parseEnvelope,
  validatePayload,
  type RawEnvelope,
} from '@livetranslate/contracts';
import type { Redis } from 'ioredis';
import { closeRedis, openRedis } from './connection.js';
import { IdempotencyMarkers } from './idempotency-markers.js';
import {
  resolveConsumerOptions,
  type ResolvedStreamConsumerOptions,
  type StreamConsumerOptions,
} from './options.js';
import { fieldOf, type RawStreamEntry } from './stream-entry.js';
import { StreamRetention } from './stream-retention.js';
import type { TransportCounter } from './transport-metrics.js';

/** One delivery of a validated event to a handler. */
export interface DeliveredEvent {
  stream: string;
  entryId: string;
  group: string;
  consumer: string;
  /** 1 on first delivery; grows with every redelivery or takeover. */
  deliveries: number;
  envelope: RawEnvelope;
  /** The payload as an instance of its contracts class. */
  payload: object;
}

export type EventHandlerFn = (event: DeliveredEvent) => Promise<unknown>;

/** Finds the handler for an event type; none means "not ours": ack and skip. */
export type HandlerResolver = (eventType: string) => EventHandlerFn | undefined;

export interface ConsumerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const tracer = trace.getTracer('@livetranslate/redis-streams');

/**
 * The consuming half of the transport, free of NestJS so another broker adapter can mirror it.
 * Reads a set of streams in one consumer group with at-least-once delivery: ack after the handler
 * succeeds, reclaim entries stuck on dead consumers, dead-letter after bounded deliveries.
 */
export class StreamConsumer {
  readonly options: ResolvedStreamConsumerOptions;
  private reader?: Redis;
  private commands?: Redis;
  private markers?: IdempotencyMarkers;
  private retention?: StreamRetention;
  private running = false;
  private readLoop?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  private reclaiming = false;
  /** `stream\u0000id` of every entry being handled now. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private slotWaiters: Array<() => void> = [];

  constructor(
    options: StreamConsumerOptions,
    private readonly resolveHandler: HandlerResolver,
    private readonly logger: ConsumerLogger,
  ) {
    this.options = resolveConsumerOptions(options);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Connects, creates the groups, recovers this consumer's own pending entries and starts reading. */
  async start(): Promise<void> {
    if (this.running) return;
    const { connection, group, consumer } = this.options;
    // Many handlers finish at once: auto-pipelining sends their acks and markers in one write.
    this.commands = openRedis(connection, `${group}:${consumer}:commands`, { enableAutoPipelining: true });
    this.reader = openRedis(connection, `${group}:${consumer}:reader`);
    // Errors surface through the commands that fail; the event only needs a listener so ioredis
    // does not report them as unhandled while it reconnects.
    for (const redis of [this.commands, this.reader]) redis.on('error', () => undefined);
    this.markers = new IdempotencyMarkers(
      this.commands,
      this.options.keyPrefix,
      group,
      this.options.reclaimIdleMs,
      this.options.idempotencyTtlSeconds,
    );
    this.retention = new StreamRetention(this.commands);
    await this.ensureGroups();
    this.running = true;
    await this.recoverOwnPending();
    this.readLoop = this.runReadLoop();
    this.timers.push(setInterval(() => void this.reclaimTick(), this.options.reclaimIntervalMs));
    // Keeps slow but live handlers from being taken over: resets their idle time well before the
    // reclaim threshold.
    this.timers.push(
      setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.options.reclaimIdleMs / 3))),
    );
    if (this.options.trimIntervalMs > 0) {
      this.timers.push(setInterval(() => void this.trimTick(), this.options.trimIntervalMs));
    }
    for (const timer of this.timers) timer.unref();
  }

  /**
   * Stops reading, lets in-flight handlers finish (acking what succeeds) within the grace period,
   * then closes both connections. Entries still running after the grace period stay pending and
   * are reclaimed by another consumer. Never reconnects afterwards.
   */
  async stop(): Promise<void> {
    if (!this.reader || !this.commands) return;
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    // Interrupts the blocking XREADGROUP at once; entries it might have been handed stay pending on
    // this consumer and are recovered by the next start or by another consumer.
    this.reader.disconnect();
    for (const wake of this.slotWaiters.splice(0)) wake();
    await this.readLoop?.catch(() => undefined);
    const drained = Promise.allSettled([...this.inFlight.values()]);
    let graceTimer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => {
        graceTimer = setTimeout(() => resolve(true), this.options.shutdownGraceMs);
      }),
    ]);
    clearTimeout(graceTimer);
    if (timedOut) {
      this.logger.warn(
        `shutdown grace elapsed with ${this.inFlight.size} handler(s) running; they stay pending`,
      );
    }
    await closeRedis(this.commands);
    this.reader = undefined;
    this.commands = undefined;
  }

  private async ensureGroups(): Promise<void> {
    for (const stream of this.options.streams) {
      try {
        await this.commands!.call(
          'XGROUP',
          'CREATE',
          stream,
          this.options.group,
          this.options.groupStartId,
          'MKSTREAM',
        );
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
    }
  }

  private async runReadLoop(): Promise<void> {
    const { group, consumer, streams, batchSize, blockMs } = this.options;
    let backoffMs = 50;
    while (this.running) {
      await this.waitForSlot();
      if (!this.running) break;
      const count = Math.min(batchSize, this.options.maxInFlight - this.inFlight.size);
      let reply: unknown;
      try {
        reply = await this.reader!.call(
          'XREADGROUP',
          'GROUP',
          group,
          consumer,
          'COUNT',
          count,
          'BLOCK',
          blockMs,
          'STREAMS',
          ...streams,
          ...streams.map(() => '>'),
        );
        backoffMs = 50;
      } catch (error) {
        if (!this.running) break;
        const message = (error as Error).message ?? String(error);
        if (message.includes('NOGROUP')) {
          // The stream or group vanished (Redis restarted empty, or someone deleted it): recreate.
          this.logger.warn(`consumer group missing, recreating: ${message}`);
          await this.ensureGroups().catch((e: Error) =>
            this.logger.error(`recreating groups failed: ${e.message}`),
          );
        } else {
          this.logger.warn(`XREADGROUP failed, retrying in ${backoffMs} ms: ${message}`);
        }
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 2_000);
        continue;
      }
      // Every stream in the reply, not only the first.
      for (const [stream, entries] of (reply ?? []) as Array<[string, RawStreamEntry[]]>) {
        for (const [id, fields] of entries) this.dispatch(stream, id, fields, 1);
      }
    }
  }

  /**
   * Waits until enough slots are free for a worthwhile read. Reading as soon as one slot frees
   * would turn a full pipeline into one XREADGROUP per entry.
   */
  private async waitForSlot(): Promise<void> {
    const { maxInFlight, batchSize } = this.options;
    const wanted = Math.max(1, Math.min(batchSize, Math.floor(maxInFlight / 2)));
    while (this.running && maxInFlight - this.inFlight.size < wanted) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
  }

  private dispatch(
    stream: string,
    id: string,
    fields: string[] | null,
    deliveries: number,
    reclaimed = false,
  ): void {
    const key = `${stream}\u0000${id}`;
    if (this.inFlight.has(key)) return;
    const work = this.process(stream, id, fields, deliveries, reclaimed)
      .catch((error: Error) => {
        // Only infrastructure errors land here (Redis down while acking): the entry stays pending.
        this.logger.error(`entry ${stream} ${id} left pending: ${error.message}`);
      })
      .finally(() => {
        this.inFlight.delete(key);
        for (const wake of this.slotWaiters.splice(0)) wake();
      });
    this.inFlight.set(key, work);
  }

  private async process(
    stream: string,
    id: string,
    fields: string[] | null,
    deliveries: number,
    reclaimed: boolean,
  ): Promise<void> {
    const { group, consumer, maxDeliveries } = this.options;
    const raw = fieldOf(fields, ENVELOPE_FIELD);
    const parsed = parseEnvelope(raw);
    if (reclaimed) this.count('reclaimed', stream, parsed.ok ? parsed.envelope.event_type : 'unknown');
    if (!parsed.ok) {
      await this.deadLetter(stream, id, raw, deliveries, parsed.reason, parsed.message, 'unknown');
      return;
    }
    const envelope = parsed.envelope;
    const eventType = envelope.event_type;
    const handler = this.resolveHandler(eventType);
    if (!handler) {
      await this.ack(stream, id);
      this.count('skipped', stream, eventType);
      return;
    }
    let payload: object = envelope.payload;
    if (isEventType(eventType)) {
      const validation = validatePayload(eventType, envelope.payload);
      if (!validation.ok) {
        await this.deadLetter(
          stream,
          id,
          raw,
          deliveries,
          'invalid_payload',
          validation.errors.join('; '),
          eventType,
        );
        return;
      }
      payload = validation.value;
    }
    if (deliveries > maxDeliveries) {
      const lastError = (await this.markers!.lastError(stream, id)) ?? 'no error recorded (consumer died?)';
      await this.deadLetter(stream, id, raw, deliveries, 'max_deliveries_exceeded', lastError, eventType);
      return;
    }
    const token = `${consumer}:${stream}:${id}`;
    const claim = await this.markers!.begin(stream, envelope.event_id, token);
    if (claim === 'done') {
      await this.ack(stream, id);
      this.count('duplicates', stream, eventType);
      return;
    }
    if (claim === 'busy') return; // The same event is running elsewhere; retried on reclaim.

    try {
      await this.runTraced(handler, { stream, entryId: id, group, consumer, deliveries, envelope, payload });
    } catch (error) {
      this.count('failed', stream, eventType);
      const message = describeError(error);
      await this.markers!.release(stream, envelope.event_id, token);
      await this.markers!.recordError(stream, id, message);
      this.logger.warn(
        `handler for ${eventType} failed (delivery ${deliveries}/${maxDeliveries}): ${message}`,
      );
      if (deliveries >= maxDeliveries) {
        await this.deadLetter(stream, id, raw, deliveries, 'max_deliveries_exceeded', message, eventType);
      }
      return;
    }
    await this.markers!.completeAndAck(stream, id, envelope.event_id);
    this.count('handled', stream, eventType);
  }

  private async runTraced(handler: EventHandlerFn, event: DeliveredEvent): Promise<void> {
    const carrier = event.envelope.traceparent ? { traceparent: event.envelope.traceparent } : {};
    const parent = propagation.extract(otelContext.active(), carrier);
    await tracer.startActiveSpan(
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
      parent,
      async (span) => {
        try {
          await handler(event);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async ack(stream: string, id: string): Promise<void> {
    await this.markers!.completeAndAck(stream, id);
  }

  /**
   * Writes the entry to `<stream>:dlq` with why, then acks it. The two keys live on different
   * slots in a cluster, so this is two steps: a crash between them can only duplicate a dead letter,
   * never lose one.
   */
  private async deadLetter(
    stream: string,
    id: string,
    raw: string | undefined,
    deliveries: number,
    reason: string,
    error: string,
    eventType: string,
  ): Promise<void> {
    await this.commands!.call(
      'XADD',
      deadLetterStreamOf(stream),
      '*',
      ENVELOPE_FIELD,
      raw ?? '',
      'original_stream',
      stream,
      'original_id',
      id,
      'group',
      this.options.group,
      'consumer',
      this.options.consumer,
      'deliveries',
      String(deliveries),
      'reason',
      reason,
      'error',
      error,
      'event_type',
      eventType,
      'failed_at',
      new Date().toISOString(),
    );
    await this.ack(stream, id);
    this.count('dead_lettered', stream, eventType);
    this.logger.warn(`dead-lettered ${stream} ${id} (${reason}): ${error}`);
  }

  /** After a restart under the same name, this consumer's own pending entries are handled at once. */
  private async recoverOwnPending(): Promise<void> {
    for (const stream of this.options.streams) {
      const pending = (await this.commands!.call(
        'XPENDING',
        stream,
        this.options.group,
        '-',
        '+',
        this.options.maxInFlight,
        this.options.consumer,
      )) as Array<[string, string, number, number]>;
      if (pending.length === 0) continue;
      const ids = pending.map(([id]) => id);
      const claimed = (await this.commands!.call(
        'XCLAIM',
        stream,
        this.options.group,
        this.options.consumer,
        0,
        ...ids,
      )) as RawStreamEntry[];
      const deliveries = new Map(pending.map(([id, , , count]) => [id, Number(count) + 1]));
      this.handleClaimed(stream, claimed, deliveries);
    }
  }

  /** Takes over entries idle longer than `reclaimIdleMs` on any consumer of the group. */
  private async reclaimTick(): Promise<void> {
    if (!this.running || this.reclaiming) return;
    this.reclaiming = true;
    try {
      for (const stream of this.options.streams) {
        let cursor = '0-0';
        do {
          const capacity = this.options.maxInFlight - this.inFlight.size;
          if (capacity <= 0 || !this.running) return;
          const [next, entries] = (await this.commands!.call(
            'XAUTOCLAIM',
            stream,
            this.options.group,
            this.options.consumer,
            this.options.reclaimIdleMs,
            cursor,
            'COUNT',
            capacity,
          )) as [string, RawStreamEntry[], string[]?];
          cursor = next;
          const live = entries.filter(([, fields]) => fields !== null);
          if (live.length === 0) continue;
          const deliveries = await this.deliveryCounts(stream, live);
          this.handleClaimed(stream, live, deliveries, true);
        } while (cursor !== '0-0');
      }
    } catch (error) {
      if (this.running) this.logger.warn(`reclaim failed: ${describeError(error)}`);
    } finally {
      this.reclaiming = false;
    }
  }

  private async deliveryCounts(stream: string, entries: RawStreamEntry[]): Promise<Map<string, number>> {
    const first = entries[0]![0];
    const last = entries[entries.length - 1]![0];
    const pending = (await this.commands!.call(
      'XPENDING',
      stream,
      this.options.group,
      first,
      last,
      entries.length,
      this.options.consumer,
    )) as Array<[string, string, number, number]>;
    return new Map(pending.map(([id, , , count]) => [id, Number(count)]));
  }

  private handleClaimed(
    stream: string,
    entries: RawStreamEntry[],
    deliveries: Map<string, number>,
    countAsReclaimed = false,
  ): void {
    for (const [id, fields] of entries) {
      if (fields === null) continue;
      this.dispatch(stream, id, fields, deliveries.get(id) ?? 1, countAsReclaimed);
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.running || this.inFlight.size === 0) return;
    const byStream = new Map<string, string[]>();
    for (const key of this.inFlight.keys()) {
      const [stream, id] = key.split('\u0000') as [string, string];
      byStream.set(stream, [...(byStream.get(stream) ?? []), id]);
    }
    try {
      for (const [stream, ids] of byStream) {
        // JUSTID resets idle time without counting a delivery.
        await this.commands!.call(
          'XCLAIM',
          stream,
          this.options.group,
          this.options.consumer,
          0,
          ...ids,
          'JUSTID',
        );
      }
      await this.markers!.extendLeases();
    } catch (error) {
      if (this.running) this.logger.warn(`heartbeat failed: ${describeError(error)}`);
    }
  }

  private async trimTick(): Promise<void> {
    if (!this.running) return;
    for (const stream of this.options.streams) {
      try {
        await this.retention!.trimToGroupProgress(stream, { minAgeMs: this.options.trimMinAgeMs });
      } catch (error) {
        this.logger.warn(`trim of ${stream} failed: ${describeError(error)}`);
      }
    }
  }

  private count(counter: TransportCounter, stream: string, eventType: string): void {
    this.options.metrics?.increment(counter, { stream, group: this.options.group, event_type: eventType });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
