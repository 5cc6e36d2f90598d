import { Logger } from '@nestjs/common';
import { closeRedis, type RedisClient } from './connection.js';
import { describeError, sleep } from './consumer/consumer-logger.js';
import type { RawStreamEntry } from './stream-entry.js';

export interface StreamTailOptions {
  stream: string;
  /** Called for each entry in order; the next read waits for a returned promise. */
  onEntry: (id: string, fields: string[]) => void | Promise<void>;
  /** Most entries per XREAD. */
  count?: number;
  /** How long one XREAD blocks before it is sent again. */
  blockMs?: number;
  /** Names this tail in its log lines. */
  name?: string;
}

/**
 * Follows one stream from a given id with a plain blocking XREAD (no consumer group, so a reader
 * that goes away holds nothing back), on a connection of its own: one key per read, one slot, so it
 * works on a Redis Cluster. Read failures are retried with a growing pause; the position is kept.
 * The blocked read is interrupted by closing its connection, never by a command sent elsewhere.
 */
export class StreamTail {
  private readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    /** Owned by the tail: closed by `close()`. */
    private readonly reader: RedisClient,
    private readonly options: StreamTailOptions,
  ) {
    this.logger = new Logger(options.name ?? `StreamTail ${options.stream}`);
  }

  /** The id of the stream's last entry now ('0-0' when empty): `start()` from it sees only newer ones. */
  async position(): Promise<string> {
    const [last] = (await this.reader.xrevrange(this.options.stream, '+', '-', 'COUNT', 1)) as Array<
      [string, string[]]
    >;
    return last?.[0] ?? '0-0';
  }

  start(from: string): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run(from);
  }

  async close(): Promise<void> {
    this.running = false;
    this.reader.disconnect();
    await this.loop?.catch(() => undefined);
    await closeRedis(this.reader);
  }

  private async run(from: string): Promise<void> {
    const { stream, onEntry, count = 100, blockMs = 5_000 } = this.options;
    let cursor = from;
    let backoff = 50;
    while (this.running) {
      let reply: Array<[string, RawStreamEntry[]]> | null;
      try {
        reply = (await this.reader.xread(
          'COUNT',
          count,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          cursor,
        )) as Array<[string, RawStreamEntry[]]> | null;
        backoff = 50;
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`${stream}: read failed, retrying in ${backoff} ms: ${describeError(error)}`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2_000);
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          cursor = id;
          try {
            await onEntry(id, fields ?? []);
          } catch (error) {
            // One entry the follower cannot take must not stop it from taking the next.
            this.logger.warn(`${stream}: entry ${id} not taken: ${describeError(error)}`);
          }
        }
      }
    }
  }
}
