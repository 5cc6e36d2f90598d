import type { RedisClient } from './connection.js';
import { closeRedis, openRedis } from './connection.js';
import { describeError, type ConsumerLogger } from './consumer/consumer-logger.js';
import { DeadLetterWriter } from './consumer/dead-letter-writer.js';
import type { HandlerResolver } from './consumer/delivered-event.js';
import { EntryProcessor, type CountFn, type ReadEntry } from './consumer/entry-processor.js';
import { ensureGroups, leaveGroupsIfIdle } from './consumer/group-setup.js';
import { InFlightWork } from './consumer/in-flight-work.js';
import { LeaseHeartbeat } from './consumer/lease-heartbeat.js';
import { Reclaimer } from './consumer/reclaimer.js';
import { StreamReader } from './consumer/stream-reader.js';
import { StreamTrimmer } from './consumer/stream-trimmer.js';
import { IdempotencyMarkers } from './idempotency-markers.js';
import {
  resolveConsumerOptions,
  type ResolvedStreamConsumerOptions,
  type StreamConsumerOptions,
} from './options.js';
import { StreamRetention } from './stream-retention.js';

export type { ConsumerLogger } from './consumer/consumer-logger.js';
export type { DeliveredEvent, EventHandlerFn, HandlerResolver } from './consumer/delivered-event.js';

/** Everything a started consumer holds; built whole by `start()`, so nothing is half-set. */
interface Running {
  commands: RedisClient;
  readers: StreamReader[];
  timers: NodeJS.Timeout[];
  streams: readonly string[];
  group: string;
  consumer: string;
}

/**
 * The consuming half of the transport, free of NestJS so another broker adapter can mirror it.
 * Reads a set of streams in one consumer group with at-least-once delivery: ack after the handler
 * succeeds, reclaim entries stuck on dead consumers, dead-letter after bounded deliveries. Each of
 * those jobs is a part of its own (see ./consumer/); this class wires them and owns the lifecycle.
 */
export class StreamConsumer {
  readonly options: ResolvedStreamConsumerOptions;
  private readonly inFlight: InFlightWork;
  private running?: Running;

  constructor(
    options: StreamConsumerOptions,
    private readonly resolveHandler: HandlerResolver,
    private readonly logger: ConsumerLogger,
  ) {
    this.options = resolveConsumerOptions(options);
    this.inFlight = new InFlightWork(this.options.maxInFlight);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Connects, creates the groups, recovers this consumer's own pending entries and starts reading. */
  async start(): Promise<void> {
    if (this.running) return;
    const o = this.options;
    const { connection, group, consumer, streams } = o;
    // Many handlers finish at once: auto-pipelining sends their acks and markers in one write.
    const commands = quiet(
      openRedis(connection, `${group}:${consumer}:commands`, { enableAutoPipelining: true }),
    );
    try {
      await ensureGroups(commands, streams, group, o.groupStartId);
    } catch (error) {
      await closeRedis(commands);
      throw error;
    }
    const markers = new IdempotencyMarkers(
      commands,
      o.keyPrefix,
      group,
      consumer,
      o.idempotencyTtlSeconds,
      o.idempotencyMarkers,
    );
    const count: CountFn = (counter, stream, eventType) =>
      o.metrics?.increment(counter, { stream, group, event_type: eventType });
    const processor = new EntryProcessor(
      { group, consumer, maxDeliveries: o.maxDeliveries },
      this.resolveHandler,
      markers,
      new DeadLetterWriter(commands, group, consumer),
      count,
      this.logger,
    );
    const dispatch = (entry: ReadEntry) => this.dispatch(processor, entry);
    const reclaimer = new Reclaimer(
      { streams, group, consumer, reclaimIdleMs: o.reclaimIdleMs },
      commands,
      this.inFlight,
      dispatch,
      this.logger,
    );
    const quota = Math.max(1, Math.floor(o.maxInFlight / streams.length));
    const readers = streams.map(
      (stream) =>
        new StreamReader(
          { stream, group, consumer, batchSize: o.batchSize, blockMs: o.blockMs, quota },
          quiet(openRedis(connection, `${group}:${consumer}:reader:${stream}`)),
          this.inFlight,
          dispatch,
          () => ensureGroups(commands, [stream], group, o.groupStartId),
          this.logger,
        ),
    );
    const running: Running = { commands, readers, timers: [], streams, group, consumer };
    this.running = running;
    const live = () => this.running === running;
    await markers.markStarted(streams);
    await reclaimer.recoverOwn();
    for (const reader of readers) reader.start();

    const heartbeat = new LeaseHeartbeat(commands, group, consumer, this.inFlight, this.logger);
    running.timers.push(setInterval(() => void reclaimer.tick(live), o.reclaimIntervalMs));
    running.timers.push(
      setInterval(() => void heartbeat.beat(live), Math.max(50, Math.floor(o.reclaimIdleMs / 3))),
    );
    if (o.trimIntervalMs > 0) {
      const trimmer = new StreamTrimmer(streams, new StreamRetention(commands), o.trimMinAgeMs, this.logger);
      running.timers.push(setInterval(() => void trimmer.trim(), o.trimIntervalMs));
    }
    for (const timer of running.timers) timer.unref();
  }

  /**
   * Stops reading, lets in-flight handlers finish (acking what succeeds) within the grace period,
   * then closes the connections. Entries still running after the grace period stay pending and
   * are reclaimed by another consumer. Never reconnects afterwards.
   */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    for (const timer of running.timers) clearInterval(timer);
    await Promise.all(running.readers.map((reader) => reader.stop()));
    if (!(await this.inFlight.drain(this.options.shutdownGraceMs))) {
      this.logger.warn(
        `shutdown grace elapsed with ${this.inFlight.size} handler(s) running; they stay pending`,
      );
    }
    await leaveGroupsIfIdle(running.commands, running.streams, running.group, running.consumer).then(
      (holding) => {
        if (holding.length) this.logger.warn(`still holding entries on ${holding.join(', ')}; staying`);
      },
      (error: unknown) => this.logger.warn(`could not leave the consumer group: ${describeError(error)}`),
    );
    await closeRedis(running.commands);
  }

  private dispatch(processor: EntryProcessor, entry: ReadEntry): void {
    if (this.inFlight.has(entry.stream, entry.id)) return;
    const work = processor.process(entry).catch((error: unknown) => {
      // Only infrastructure errors land here (Redis down while acking): the entry stays pending.
      this.logger.error(`entry ${entry.stream} ${entry.id} left pending: ${describeError(error)}`);
    });
    this.inFlight.track(entry.stream, entry.id, work);
  }
}

/** Errors surface through the commands that fail; the event needs a listener so ioredis does not
 * report them as unhandled while it reconnects. */
function quiet(redis: RedisClient): RedisClient {
  redis.on('error', () => undefined);
  return redis;
}
