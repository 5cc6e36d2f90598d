import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, compareStreamIds, ManagedRedis } from '@livetranslate/redis-streams';
import { parseEntry, SessionEventLog, type LogEntry } from '@livetranslate/session-store';
import type { Redis } from 'ioredis';

export type EntrySink = (entry: LogEntry) => void;

interface Subscriber {
  sink: EntrySink;
  lastId: string;
  live: boolean;
  buffered: LogEntry[];
}

interface Followed {
  /** The session's log key. */
  key: string;
  /** Last id read live for this session; null until the first subscriber has caught up. */
  cursor: string | null;
  subscribers: Set<Subscriber>;
}

const BLOCK_MS = 5_000;
const READ_COUNT = 200;

/**
 * Delivers session event logs to any number of local subscribers with one blocking XREAD for all
 * followed sessions (not one Redis connection per client). A subscriber first catches up from its
 * last seen id with XRANGE, then switches to live entries; entries arriving meanwhile are buffered
 * and de-duplicated by id, so nothing is lost or repeated — including after a reconnect to another
 * replica, since ids come from the log itself.
 */
@Injectable()
export class SessionLogFanout implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionLogFanout.name);
  private readonly followed = new Map<string, Followed>();
  private reader?: Redis;
  private readerId?: number;
  private running = true;
  private loop?: Promise<void>;

  constructor(
    private readonly connection: ManagedRedis,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
  ) {}

  /** Sends every entry after `lastId` (exclusive; `0` for all), then live ones. Returns unsubscribe. */
  async subscribe(sessionId: string, lastId: string, sink: EntrySink): Promise<() => void> {
    this.start();
    let followed = this.followed.get(sessionId);
    if (!followed)
      this.followed.set(
        sessionId,
        (followed = { key: this.log.keyOf(sessionId), cursor: null, subscribers: new Set() }),
      );
    const subscriber: Subscriber = { sink, lastId: normalise(lastId), live: false, buffered: [] };
    followed.subscribers.add(subscriber);
    const unsubscribe = () => {
      followed.subscribers.delete(subscriber);
      if (followed.subscribers.size === 0 && this.followed.get(sessionId) === followed)
        this.followed.delete(sessionId);
    };
    try {
      // Catch up from the log until reaching where live reading is; what the reader reads
      // meanwhile waits in the buffer.
      await this.catchUp(sessionId, subscriber, followed.cursor ?? '+');
      if (followed.cursor === null) {
        followed.cursor = subscriber.lastId;
        this.wakeReader();
      }
      while (compareStreamIds(followed.cursor, subscriber.lastId) > 0) {
        await this.catchUp(sessionId, subscriber, followed.cursor);
      }
      for (const entry of subscriber.buffered.splice(0)) this.deliver(subscriber, entry);
      subscriber.live = true;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  private async catchUp(sessionId: string, subscriber: Subscriber, until: string): Promise<void> {
    for (;;) {
      const page = await this.log.after(sessionId, subscriber.lastId, 500, until);
      for (const entry of page) this.deliver(subscriber, entry);
      if (page.length < 500) return;
    }
  }

  get followedSessions(): number {
    return this.followed.size;
  }

  private deliver(subscriber: Subscriber, entry: LogEntry): void {
    if (compareStreamIds(entry.id, subscriber.lastId) <= 0) return;
    subscriber.lastId = entry.id;
    subscriber.sink(entry);
  }

  private start(): void {
    if (this.loop) return;
    this.reader = this.connection.open('api-gateway:session-logs');
    this.loop = this.run();
  }

  /** Interrupts the blocking read so a newly followed session joins the next XREAD at once. */
  private wakeReader(): void {
    if (this.readerId === undefined) return;
    this.connection.redis.call('CLIENT', 'UNBLOCK', this.readerId).catch(() => undefined);
  }

  private async run(): Promise<void> {
    let backoff = 50;
    while (this.running) {
      const ready = [...this.followed].filter(([, f]) => f.cursor !== null);
      const byKey = new Map(ready.map(([, f]) => [f.key, f]));
      try {
        if (this.readerId === undefined) this.readerId = Number(await this.reader!.call('CLIENT', 'ID'));
        if (ready.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const reply = (await this.reader!.call(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...ready.map(([, f]) => f.key),
          ...ready.map(([, f]) => f.cursor!),
        )) as Array<[string, Array<[string, string[]]>]> | null;
        backoff = 50;
        for (const [key, entries] of reply ?? []) {
          const followed = byKey.get(key);
          // Unfollowed while the read was under way: nobody is left to deliver to.
          if (!followed || !followed.subscribers.size) continue;
          for (const [id, fields] of entries) {
            followed.cursor = id;
            const entry = { id, envelope: parseEntry(fields) };
            for (const subscriber of followed.subscribers) {
              if (subscriber.live) this.deliver(subscriber, entry);
              else subscriber.buffered.push(entry);
            }
          }
        }
      } catch (error) {
        if (!this.running) return;
        this.readerId = undefined;
        this.logger.warn(`session log read failed, retrying in ${backoff} ms: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
    if (this.reader) await closeRedis(this.reader);
  }
}

function normalise(id: string): string {
  return /^\d+-\d+$/.test(id) ? id : /^\d+$/.test(id) ? `${id}-0` : '0-0';
}
