import type { RedisClient } from '../connection.js';
import type { RawStreamEntry } from '../stream-entry.js';
import { describeError, type ConsumerLogger } from './consumer-logger.js';
import type { ReadEntry } from './entry-processor.js';
import type { InFlightWork } from './in-flight-work.js';

export interface ReclaimerSettings {
  streams: readonly string[];
  group: string;
  consumer: string;
  /** An entry pending this long on any consumer is taken over. */
  reclaimIdleMs: number;
}

type PendingRow = [id: string, consumer: string, idleMs: number, deliveries: number];

/**
 * Takes over entries stuck on other consumers (XAUTOCLAIM) and, at start, this consumer's own
 * pending entries from before a restart, handing each on with its true delivery count.
 */
export class Reclaimer {
  private busy = false;

  constructor(
    private readonly settings: ReclaimerSettings,
    private readonly redis: RedisClient,
    private readonly inFlight: InFlightWork,
    private readonly dispatch: (entry: ReadEntry) => void,
    private readonly logger: ConsumerLogger,
  ) {}

  /** After a restart under the same name, this consumer's own pending entries are handled at once. */
  async recoverOwn(): Promise<void> {
    const { group, consumer } = this.settings;
    for (const stream of this.settings.streams) {
      const pending = (await this.redis.call(
        'XPENDING',
        stream,
        group,
        '-',
        '+',
        this.inFlight.capacity,
        consumer,
      )) as PendingRow[];
      if (pending.length === 0) continue;
      const claimed = (await this.redis.call(
        'XCLAIM',
        stream,
        group,
        consumer,
        0,
        ...pending.map(([id]) => id),
      )) as RawStreamEntry[];
      // XCLAIM counted one more delivery of each.
      const deliveries = new Map(pending.map(([id, , , count]) => [id, Number(count) + 1]));
      this.handOn(stream, claimed, deliveries, false);
    }
  }

  /** One pass over every stream; skipped while the previous pass still runs. */
  async tick(keepGoing: () => boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const stream of this.settings.streams) await this.reclaimStream(stream, keepGoing);
    } catch (error) {
      if (keepGoing()) this.logger.warn(`reclaim failed: ${describeError(error)}`);
    } finally {
      this.busy = false;
    }
  }

  private async reclaimStream(stream: string, keepGoing: () => boolean): Promise<void> {
    const { group, consumer, reclaimIdleMs } = this.settings;
    let cursor = '0-0';
    do {
      const capacity = this.inFlight.free;
      if (capacity <= 0 || !keepGoing()) return;
      const [next, entries] = (await this.redis.call(
        'XAUTOCLAIM',
        stream,
        group,
        consumer,
        reclaimIdleMs,
        cursor,
        'COUNT',
        capacity,
      )) as [string, RawStreamEntry[], string[]?];
      cursor = next;
      const live = entries.filter(([, fields]) => fields !== null);
      if (live.length === 0) continue;
      this.handOn(stream, live, await this.deliveryCounts(stream, live), true);
    } while (cursor !== '0-0');
  }

  /**
   * The delivery count of each claimed entry, asked id by id: a range query over this consumer's
   * pending entries would also return the ones it is still handling between them, and with a COUNT
   * limit push claimed entries out of the reply.
   */
  async deliveryCounts(stream: string, entries: readonly RawStreamEntry[]): Promise<Map<string, number>> {
    const pipeline = this.redis.pipeline();
    for (const [id] of entries) pipeline.call('XPENDING', stream, this.settings.group, id, id, 1);
    const replies = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    replies.forEach(([error, rows], i) => {
      if (error) throw error;
      const row = (rows as PendingRow[])[0];
      if (row) counts.set(entries[i]![0], Number(row[3]));
    });
    return counts;
  }

  private handOn(
    stream: string,
    entries: readonly RawStreamEntry[],
    deliveries: Map<string, number>,
    reclaimed: boolean,
  ): void {
    for (const [id, fields] of entries) {
      if (fields === null) continue;
      // An entry no longer pending (acked meanwhile) has no count: it is handled as a redelivery.
      this.dispatch({ stream, id, fields, deliveries: deliveries.get(id) ?? 2, reclaimed });
    }
  }
}
