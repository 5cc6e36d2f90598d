import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from './connection.js';

export type ScriptArg = string | number;

/**
 * A Lua script run by its SHA (EVALSHA, falling back to EVAL once per server that has not cached it).
 * Every script in the project goes through here, for two reasons:
 * - its keys must share one hash slot (a Redis Cluster refuses anything else): checked on every run,
 *   on a single server too, so any test that runs a script proves it cluster-safe;
 * - EVALSHA names its keys where ioredis can find them, so a cluster client with auto-pipelining
 *   routes the script to its keys' node (ioredis' defineCommand scripts are routed by their first
 *   argument, the key count, and fail on a cluster).
 */
export class LuaScript<Result = unknown> {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[] = []): Promise<Result> {
    assertOneSlot(keys, `script ${this.name}`);
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as Result;
    } catch (error) {
      if (!(error as Error)?.message?.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.lua, keys.length, ...keys, ...args)) as Result;
    }
  }
}

/** The hash slot of a key (Redis Cluster's CRC16 of its hash tag or whole name). */
export function slotOf(key: string): number {
  return calculateSlot(key);
}

/** A key's hash tag as Redis Cluster reads it: between the first `{` and the next `}`, if not empty. */
export function hashTag(key: string): string | null {
  const open = key.indexOf('{');
  if (open < 0) return null;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}

/** Throws unless every key lies on one hash slot, naming the first that does not. */
export function assertOneSlot(keys: readonly string[], what: string): void {
  if (keys.length < 2) return;
  // The common case, cheaply: every key hashes the same text (its tag, or an untagged key's whole
  // name), so no CRC is needed. Only keys that differ there are checked slot by slot.
  const first = keys[0]!;
  const hashed = hashTag(first) ?? first;
  let slot: number | undefined;
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    if ((hashTag(key) ?? key) === hashed) continue;
    slot ??= slotOf(first);
    if (slotOf(key) !== slot)
      throw new Error(`${what}: key ${key} is on hash slot ${slotOf(key)}, ${first} on ${slot}`);
  }
}

/** Deletes a lock or lease only while it still holds `token`: another owner may hold it by now. */
export const RELEASE_IF_OWNER = new LuaScript<number>(
  'release-if-owner',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);
