import type { Redis } from 'ioredis';

/** Creates the group on every stream (and the stream itself), idempotently. One key per command. */
export async function ensureGroups(
  redis: Redis,
  streams: readonly string[],
  group: string,
  startId: string,
): Promise<void> {
  for (const stream of streams) {
    try {
      await redis.call('XGROUP', 'CREATE', stream, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }
}
