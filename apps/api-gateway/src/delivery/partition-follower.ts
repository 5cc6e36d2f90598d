import { Logger } from '@nestjs/common';
import { closeRedis, type ManagedRedis, type RedisClient } from '@livetranslate/redis-streams';
import { parseLiveEntry, type LiveEntry } from '@livetranslate/session-store';

const BLOCK_MS = 5_000;
const READ_COUNT = 500;

/**
 * Reads one partition's live fan-out stream from the moment it starts, on its own connection (a
 * blocking XREAD on one key: one slot, so it works on a Redis Cluster), and hands every entry on.
 */
export class PartitionFollower {
  private readonly logger = new Logger(PartitionFollower.name);
  private readonly reader: RedisClient;
  private started?: Promise<void>;
  private cursor = '0-0';
  private running = true;
  private loop?: Promise<void>;

  constructor(
    connection: ManagedRedis,
    private readonly stream: string,
    private readonly onEntry: (entry: LiveEntry) => void,
  ) {
    this.reader = connection.open(`api-gateway:live:${stream}`);
  }

  /** Resolves once the reader has its position: entries added after it are all delivered. */
  ready(): Promise<void> {
    // A failed start (Redis away) is tried again by the next subscriber.
    this.started ??= this.start().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  private async start(): Promise<void> {
    const [last] = (await this.reader.xrevrange(this.stream, '+', '-', 'COUNT', 1)) as Array<
      [string, string[]]
    >;
    this.cursor = last?.[0] ?? '0-0';
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let backoff = 50;
    while (this.running) {
      try {
        const reply = (await this.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.stream,
          this.cursor,
        )) as Array<[string, Array<[string, string[]]>]> | null;
        backoff = 50;
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            this.cursor = id;
            const entry = parseLiveEntry(fields);
            if (entry) this.onEntry(entry);
          }
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(
          `${this.stream}: read failed, retrying in ${backoff} ms: ${(error as Error).message}`,
        );
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  async close(): Promise<void> {
    this.running = false;
    this.reader.disconnect();
    await this.loop?.catch(() => undefined);
    await closeRedis(this.reader);
  }
}
