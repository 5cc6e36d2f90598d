import type { RedisClient } from '@livetranslate/redis-streams';

export interface IndexPageOptions<T> {
  /** Sorted set: id → creation time (ms). Read newest first. */
  index: string;
  limit: number;
  /** Where the previous page stopped (`nextCursor`): an offset into the index. */
  cursor?: number | undefined;
  /** The records of `ids`, in order; null for one that is gone (expired): its id is pruned. */
  load: (ids: string[]) => Promise<Array<T | null>>;
  /** Only records it accepts are returned (a status filter). */
  keep?: (record: T) => boolean;
}

/**
 * One page of a per-tenant index (newest first), loading records in batches and dropping from the
 * index the ids whose records have expired. `nextCursor` is null on the last page. An offset
 * cursor: records created between two page reads shift the next page by as many (listing is for
 * people and tools; the events API is the exact one).
 */
export async function pageIndex<T>(
  redis: RedisClient,
  options: IndexPageOptions<T>,
): Promise<{ items: T[]; nextCursor: number | null }> {
  const items: T[] = [];
  let offset = options.cursor ?? 0;
  const batch = Math.max(options.limit, 50);
  for (;;) {
    const ids = await redis.zrevrange(options.index, offset, offset + batch - 1);
    if (ids.length === 0) return { items, nextCursor: null };
    const records = await options.load(ids);
    for (let i = 0; i < ids.length; i++) {
      const record = records[i];
      if (record === null || record === undefined) {
        // Expired records leave their id in the index until it is pruned here.
        await redis.zrem(options.index, ids[i]!);
        continue;
      }
      offset++;
      if (options.keep && !options.keep(record)) continue;
      items.push(record);
      if (items.length === options.limit) {
        const more = (await redis.zcard(options.index)) > offset;
        return { items, nextCursor: more ? offset : null };
      }
    }
  }
}
