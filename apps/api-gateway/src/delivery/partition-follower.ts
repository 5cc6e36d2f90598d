import { StreamTail, type ManagedRedis } from '@livetranslate/redis-streams';
import { parseLiveEntry, type LiveEntry } from '@livetranslate/session-store';

/**
 * Reads one partition's live fan-out stream from the moment it starts, on its own connection, and
 * hands every entry on.
 */
export class PartitionFollower {
  private readonly tail: StreamTail;
  private started?: Promise<void>;

  constructor(connection: ManagedRedis, stream: string, onEntry: (entry: LiveEntry) => void) {
    this.tail = new StreamTail(connection.open(`api-gateway:live:${stream}`), {
      stream,
      count: 500,
      name: PartitionFollower.name,
      onEntry: (_id, fields) => {
        const entry = parseLiveEntry(fields);
        if (entry) onEntry(entry);
      },
    });
  }

  /** Resolves once the reader has its position: entries added after it are all delivered. */
  ready(): Promise<void> {
    // A failed start (Redis away) is tried again by the next subscriber.
    this.started ??= this.tail.position().then(
      (from) => this.tail.start(from),
      (error: unknown) => {
        this.started = undefined;
        throw error;
      },
    );
    return this.started;
  }

  close(): Promise<void> {
    return this.tail.close();
  }
}
