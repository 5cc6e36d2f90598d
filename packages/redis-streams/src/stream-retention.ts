import type { RedisClient } from './connection.js';
import { compareStreamIds } from './stream-entry.js';

export interface GroupStats {
  stream: string;
  group: string;
  consumers: number;
  /** Delivered but not acked yet. */
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after some deletions). */
  lag: number | null;
  lastDeliveredId: string;
  /** Oldest entry still pending, if any. */
  oldestPendingId: string | null;
}

export interface TrimOptions {
  /** Never trim entries younger than this, handled or not. */
  minAgeMs?: number;
  /** Exact trimming (slower); by default Redis trims whole nodes only (`~`). */
  exact?: boolean;
}

/**
 * Reads group progress and trims a stream no further than every group has finished. Unlike
 * `XADD MAXLEN`, this never drops an entry that some group has not read or not acked.
 */
export class StreamRetention {
  constructor(private readonly redis: RedisClient) {}

  async groupStats(stream: string): Promise<GroupStats[]> {
    let groups: unknown[];
    try {
      groups = (await this.redis.call('XINFO', 'GROUPS', stream)) as unknown[];
    } catch (error) {
      if (String((error as Error).message).includes('no such key')) return [];
      throw error;
    }
    const stats: GroupStats[] = [];
    for (const raw of groups) {
      const info = pairsToObject(raw as unknown[]);
      const group = String(info.name);
      const summary = (await this.redis.call('XPENDING', stream, group)) as [
        number,
        string | null,
        ...unknown[],
      ];
      stats.push({
        stream,
        group,
        consumers: Number(info.consumers ?? 0),
        pending: Number(info.pending ?? 0),
        lag: info.lag === null || info.lag === undefined ? null : Number(info.lag),
        lastDeliveredId: String(info['last-delivered-id'] ?? '0-0'),
        oldestPendingId: summary[1] ?? null,
      });
    }
    return stats;
  }

  /**
   * What waits for `group` on `stream`: entries not yet delivered to it (all of them when the group
   * does not exist yet; null when Redis cannot tell) and those delivered but not acknowledged.
   */
  async backlog(stream: string, group: string): Promise<{ waiting: number | null; pending: number }> {
    const ours = (await this.groupStats(stream)).find((s) => s.group === group);
    if (!ours) return { waiting: await this.length(stream), pending: 0 };
    return { waiting: ours.lag, pending: ours.pending };
  }

  /** Entries in the stream now (0 when it does not exist). */
  async length(stream: string): Promise<number> {
    return this.redis.xlen(stream);
  }

  /**
   * Consumers of `group` on `stream` that read or acked within `withinMs` (a live consumer blocks on
   * XREADGROUP again every few seconds, which counts). A crashed consumer stays in the group, idle.
   */
  async activeConsumers(stream: string, group: string, withinMs: number): Promise<number> {
    let consumers: unknown[];
    try {
      consumers = (await this.redis.call('XINFO', 'CONSUMERS', stream, group)) as unknown[];
    } catch (error) {
      if (/no such key|NOGROUP/i.test(String((error as Error).message))) return 0;
      throw error;
    }
    return consumers.filter((raw) => Number(pairsToObject(raw as unknown[]).idle ?? Infinity) < withinMs)
      .length;
  }

  /**
   * The lowest id some group still needs: its oldest pending entry, or the entry after its
   * last delivered one. Null when the stream has no group (nobody has read it: keep everything).
   */
  async safeTrimId(stream: string): Promise<string | null> {
    const stats = await this.groupStats(stream);
    if (stats.length === 0) return null;
    let floor: string | null = null;
    for (const group of stats) {
      const needed = group.oldestPendingId ?? nextId(group.lastDeliveredId);
      if (floor === null || compareStreamIds(needed, floor) < 0) floor = needed;
    }
    return floor;
  }

  /** Trims what every group has finished (and is older than `minAgeMs`). Returns entries removed. */
  async trimToGroupProgress(stream: string, options: TrimOptions = {}): Promise<number> {
    let minId = await this.safeTrimId(stream);
    if (minId === null) return 0;
    if (options.minAgeMs && options.minAgeMs > 0) {
      const ageFloor = `${Date.now() - options.minAgeMs}-0`;
      if (compareStreamIds(ageFloor, minId) < 0) minId = ageFloor;
    }
    const args = options.exact ? ['MINID', minId] : ['MINID', '~', minId];
    return Number(await this.redis.call('XTRIM', stream, ...args));
  }
}

function nextId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

function pairsToObject(pairs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) out[String(pairs[i])] = pairs[i + 1];
  return out;
}
