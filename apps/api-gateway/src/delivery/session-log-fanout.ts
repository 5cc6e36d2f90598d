import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { compareStreamIds, ManagedRedis } from '@livetranslate/redis-streams';
import { SessionEventLog, type LiveEntry, type LogEntry } from '@livetranslate/session-store';
import { PartitionFollower } from './partition-follower.js';

export type EntrySink = (entry: LogEntry) => void;

interface Subscriber {
  sink: EntrySink;
  lastId: string;
  live: boolean;
  buffered: LogEntry[];
}

interface Followed {
  sessionId: string;
  /** Last log id delivered to live subscribers; null until the first subscriber has caught up. */
  cursor: string | null;
  /** Live entries that arrived before the cursor was known. */
  early: LiveEntry[];
  subscribers: Set<Subscriber>;
  /** Live entries are handled one after another per session (a gap fill reads the log). */
  chain: Promise<void>;
  /** When a live entry last arrived, for the sweep. */
  touchedAt: number;
}

/** A followed session with no live entry for this long gets its log checked past the cursor. */
const SWEEP_IDLE_MS = 5_000;
const PAGE = 500;

/**
 * Delivers session event logs to any number of local subscribers. Live entries come from the
 * partitions' live fan-out streams (one blocking read per partition on this replica, not one
 * connection per client, and no multi-key read across slots, which a Redis Cluster refuses); the
 * log itself stays the source of truth:
 * - a subscriber first catches up from its last seen id with XRANGE, then switches to live entries;
 *   entries arriving meanwhile are buffered and de-duplicated by id;
 * - each live entry names the log entry before it: when that is not the one delivered last (writers
 *   raced, or a publish was lost), the gap is read from the log before delivering;
 * - a session that has been quiet for a while is checked against its log (a lost last publish).
 * Ids come from the log, so a client resumes on any replica with nothing lost or repeated.
 * Live-only entries (drafts, with no log id) go straight to the subscribers that are live.
 */
@Injectable()
export class SessionLogFanout implements OnApplicationShutdown {
  private readonly followed = new Map<string, Followed>();
  /** Live stream → its follower on this replica. */
  private readonly partitions = new Map<string, PartitionFollower>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly connection: ManagedRedis,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
  ) {}

  /** Sends every entry after `lastId` (exclusive; `0` for all), then live ones. Returns unsubscribe. */
  async subscribe(sessionId: string, lastId: string, sink: EntrySink): Promise<() => void> {
    // The partition's reader has a position before the catch-up reads the log: nothing appended
    // after the catch-up can slip past both.
    await this.partitionOf(sessionId).ready();
    this.startSweeper();
    let followed = this.followed.get(sessionId);
    if (!followed) {
      followed = {
        sessionId,
        cursor: null,
        early: [],
        subscribers: new Set(),
        chain: Promise.resolve(),
        touchedAt: Date.now(),
      };
      this.followed.set(sessionId, followed);
    }
    const subscriber: Subscriber = { sink, lastId: normalise(lastId), live: false, buffered: [] };
    followed.subscribers.add(subscriber);
    const current = followed;
    const unsubscribe = () => {
      current.subscribers.delete(subscriber);
      if (current.subscribers.size === 0 && this.followed.get(sessionId) === current)
        this.followed.delete(sessionId);
    };
    try {
      await this.catchUp(subscriber, sessionId, '+');
      if (current.cursor === null) {
        current.cursor = subscriber.lastId;
        for (const entry of current.early.splice(0)) this.enqueue(current, entry);
      }
      // The cursor may move on while this subscriber reads; what it delivered meanwhile is buffered.
      while (compareStreamIds(current.cursor, subscriber.lastId) > 0)
        await this.catchUp(subscriber, sessionId, current.cursor);
      for (const entry of subscriber.buffered.splice(0)) this.deliver(subscriber, entry);
      subscriber.live = true;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  get followedSessions(): number {
    return this.followed.size;
  }

  private partitionOf(sessionId: string): PartitionFollower {
    const stream = this.log.liveStreamOf(sessionId);
    let follower = this.partitions.get(stream);
    if (!follower) {
      follower = new PartitionFollower(this.connection, stream, (entry) => this.onLive(entry));
      this.partitions.set(stream, follower);
    }
    return follower;
  }

  private onLive(entry: LiveEntry): void {
    const followed = this.followed.get(entry.sessionId);
    if (!followed) return;
    if (entry.id === '') {
      // Live-only (a draft): to whoever is connected and caught up now; no place in the log.
      for (const subscriber of followed.subscribers)
        if (subscriber.live) subscriber.sink({ id: '', envelope: entry.envelope });
      return;
    }
    followed.touchedAt = Date.now();
    if (followed.cursor === null) followed.early.push(entry);
    else this.enqueue(followed, entry);
  }

  private enqueue(followed: Followed, entry: LiveEntry | null): void {
    followed.chain = followed.chain
      .then(() => this.advance(followed, entry))
      // A failed gap read leaves the cursor where it was: the next entry or sweep reads it again.
      .catch(() => undefined);
  }

  /** Delivers `entry` (or, with null, whatever the log holds past the cursor), filling any gap. */
  private async advance(followed: Followed, entry: LiveEntry | null): Promise<void> {
    const cursor = followed.cursor!;
    if (entry && compareStreamIds(entry.id, cursor) <= 0) return;
    if (entry && (entry.previous || '0-0') === cursor) {
      followed.cursor = entry.id;
      this.fanOut(followed, { id: entry.id, envelope: entry.envelope });
      return;
    }
    const until = entry?.id ?? '+';
    for (;;) {
      const page = await this.log.after(followed.sessionId, followed.cursor!, PAGE, until);
      for (const logged of page) {
        followed.cursor = logged.id;
        this.fanOut(followed, logged);
      }
      if (page.length < PAGE) return;
    }
  }

  private fanOut(followed: Followed, entry: LogEntry): void {
    for (const subscriber of followed.subscribers) {
      if (subscriber.live) this.deliver(subscriber, entry);
      else subscriber.buffered.push(entry);
    }
  }

  private async catchUp(subscriber: Subscriber, sessionId: string, until: string): Promise<void> {
    for (;;) {
      const page = await this.log.after(sessionId, subscriber.lastId, PAGE, until);
      for (const entry of page) this.deliver(subscriber, entry);
      if (page.length < PAGE) return;
    }
  }

  private deliver(subscriber: Subscriber, entry: LogEntry): void {
    if (compareStreamIds(entry.id, subscriber.lastId) <= 0) return;
    subscriber.lastId = entry.id;
    subscriber.sink(entry);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const quietSince = Date.now() - SWEEP_IDLE_MS;
      for (const followed of this.followed.values()) {
        if (followed.cursor === null || followed.touchedAt > quietSince) continue;
        followed.touchedAt = Date.now();
        this.enqueue(followed, null);
      }
    }, SWEEP_IDLE_MS);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.partitions.values()].map((p) => p.close()));
  }
}

function normalise(id: string): string {
  return /^\d+-\d+$/.test(id) ? id : /^\d+$/.test(id) ? `${id}-0` : '0-0';
}
