import type { Redis } from 'ioredis';

// Creates a group reading from the start with its read counter set: entries already removed from
// the stream count as read (they were gone before the group existed). Redis otherwise leaves the
// counter unknown, and then cannot tell entries trimmed before a group read them (the monitoring
// reports those). One key, atomic.
const CREATE_FROM_START = `
local removed = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local fields = {}
  for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
  removed = fields['entries-added'] - fields['length']
end
return redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM', 'ENTRIESREAD', removed)`;

/** Creates the group on every stream (and the stream itself), idempotently. One key per command. */
export async function ensureGroups(
  redis: Redis,
  streams: readonly string[],
  group: string,
  startId: string,
): Promise<void> {
  for (const stream of streams) {
    try {
      if (startId === '0') await redis.eval(CREATE_FROM_START, 1, stream, group);
      else await redis.call('XGROUP', 'CREATE', stream, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }
}
