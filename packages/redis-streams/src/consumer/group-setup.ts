import type { RedisClient } from '../connection.js';
import { LuaScript } from '../lua-script.js';

// Creates a group reading from the start with its read counter set: entries already removed from
// the stream count as read (they were gone before the group existed). Redis otherwise leaves the
// counter unknown, and then cannot tell entries trimmed before a group read them (the monitoring
// reports those). One key, atomic.
const CREATE_FROM_START = new LuaScript(
  'create-group-from-start',
  `
local removed = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local fields = {}
  for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
  removed = fields['entries-added'] - fields['length']
end
return redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM', 'ENTRIESREAD', removed)`,
);

/** Creates the group on every stream (and the stream itself), idempotently. One key per command. */
export async function ensureGroups(
  redis: RedisClient,
  streams: readonly string[],
  group: string,
  startId: string,
): Promise<void> {
  for (const stream of streams) {
    try {
      if (startId === '0') await CREATE_FROM_START.run(redis, [stream], [group]);
      else await redis.call('XGROUP', 'CREATE', stream, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }
}

// Removes the consumer from the group only if it holds nothing pending (one key, atomic): a check
// then a delete could drop an entry delivered in between, which would then never be reclaimed.
const LEAVE_IF_IDLE = new LuaScript<number>(
  'leave-group-if-idle',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #pending > 0 then return -1 end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])`,
);

/**
 * A consumer that stopped cleanly leaves its groups, so replaced pods do not pile up as dead
 * consumers. Returns the streams where it still holds entries (it stays there; others reclaim them).
 */
export async function leaveGroupsIfIdle(
  redis: RedisClient,
  streams: readonly string[],
  group: string,
  consumer: string,
): Promise<string[]> {
  const holding: string[] = [];
  for (const stream of streams) {
    const left = await LEAVE_IF_IDLE.run(redis, [stream], [group, consumer]);
    if (left === -1) holding.push(stream);
  }
  return holding;
}
