import type { RedisClient } from '../connection.js';
import type { RawStreamEntry } from '../stream-entry.js';
import { describeError, sleep, type ConsumerLogger } from './consumer-logger.js';
import type { ReadEntry } from './entry-processor.js';
import type { InFlightWork } from './in-flight-work.js';

export interface StreamReaderSettings {
  stream: string;
  group: string;
  consumer: string;
  batchSize: number;
  blockMs: number;
  /** Most entries of this stream held at once: the consumer's capacity shared by its streams. */
  quota: number;
}

/**
 * Reads new entries of one stream for the group, on its own connection: one stream per
 * XREADGROUP keeps every command on one hash slot, which a Redis Cluster requires. Reads only when
 * a worthwhile batch fits in the free slots, so a full pipeline does not turn into one read per entry.
 */
export class StreamReader {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly settings: StreamReaderSettings,
    private readonly redis: RedisClient,
    private readonly inFlight: InFlightWork,
    private readonly dispatch: (entry: ReadEntry) => void,
    private readonly recreateGroup: () => Promise<void>,
    private readonly logger: ConsumerLogger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Interrupts the blocking read at once; what it might have been handed stays pending here. */
  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    this.inFlight.wakeAll();
    await this.loop?.catch(() => undefined);
  }

  private room(): number {
    const { stream, quota } = this.settings;
    return Math.min(quota - this.inFlight.countOf(stream), this.inFlight.free);
  }

  private async run(): Promise<void> {
    const { stream, group, consumer, batchSize, blockMs, quota } = this.settings;
    const wanted = Math.max(1, Math.min(batchSize, Math.floor(quota / 2)));
    let backoffMs = 50;
    while (this.running) {
      await this.inFlight.waitUntil(
        () => this.room() >= wanted,
        () => this.running,
      );
      if (!this.running) break;
      const count = Math.max(1, Math.min(batchSize, this.room()));
      let reply: unknown;
      try {
        reply = await this.redis.call(
          'XREADGROUP',
          'GROUP',
          group,
          consumer,
          'COUNT',
          count,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          '>',
        );
        backoffMs = 50;
      } catch (error) {
        if (!this.running) break;
        const message = describeError(error);
        if (message.includes('NOGROUP')) {
          // The stream or group vanished (Redis restarted empty, or someone deleted it): recreate.
          this.logger.warn(`consumer group missing on ${stream}, recreating: ${message}`);
          await this.recreateGroup().catch((e: unknown) =>
            this.logger.error(`recreating group on ${stream} failed: ${describeError(e)}`),
          );
        } else {
          this.logger.warn(`XREADGROUP on ${stream} failed, retrying in ${backoffMs} ms: ${message}`);
        }
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 2_000);
        continue;
      }
      for (const [, entries] of (reply ?? []) as Array<[string, RawStreamEntry[]]>) {
        for (const [id, fields] of entries) {
          this.dispatch({ stream, id, fields, deliveries: 1, reclaimed: false });
        }
      }
    }
  }
}
