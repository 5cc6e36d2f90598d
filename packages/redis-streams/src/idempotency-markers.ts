import type { RedisClient } from './connection.js';
import { KeyedBatcher } from './keyed-batcher.js';
import { hashTag, LuaScript, RELEASE_IF_OWNER } from './lua-script.js';

export type MarkerClaim = 'acquired' | 'done' | 'busy';

// Takes the lease of each event of a batch, or reports it done or held by another token.
const BEGIN = new LuaScript<MarkerClaim[]>(
  'begin',
  `
local out = {}
for i, key in ipairs(KEYS) do
  local token = ARGV[i + 1]
  if redis.call('SET', key, token, 'PX', ARGV[1], 'NX') then
    out[i] = 'acquired'
  else
    local current = redis.call('GET', key)
    if current == 'done' then
      out[i] = 'done'
    elseif current == token or current == false then
      redis.call('SET', key, token, 'PX', ARGV[1])
      out[i] = 'acquired'
    else
      out[i] = 'busy'
    end
  end
end
return out`,
);

// Marks a batch of events done and acks their entries in one atomic step: no window in which an
// entry is acked but its event not yet marked (or the reverse). Records when this consumer last
// acked (KEYS[2]), which the monitoring compares against its pending entries.
const COMPLETE = new LuaScript<number>(
  'complete',
  `
for i = 3, #KEYS do
  redis.call('SET', KEYS[i], 'done', 'EX', ARGV[2])
end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 5))`,
);

// Extend a lease only while it is still ours; another consumer may hold it by now.
const EXTEND_IF_OWNER = new LuaScript(
  'extend-if-owner',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
);

/**
 * Hash of consumer name → when it last acknowledged an entry of `stream` for `group` (ms since the
 * epoch; set to the start time when a consumer starts). Same slot as the stream. The heartbeat keeps
 * a live handler's entries from ageing, so only this shows a consumer that holds entries and stopped
 * finishing them.
 */
export function consumerAcksKey(prefix: string, stream: string, group: string): string {
  return `${prefix}:{${slotTagOf(stream)}}:acks:${group}:${stream}`;
}

/**
 * The Redis Cluster hash tag that places a key on the same slot as `stream`: the stream's own tag
 * if it has one, else its whole name.
 */
export function slotTagOf(stream: string): string {
  return hashTag(stream) ?? stream;
}

interface BeginItem {
  key: string;
  token: string;
}

interface CompleteItem {
  entryId: string;
  markerKey?: string;
}

/**
 * Per-group, per-event markers that make redelivery harmless: a marker is a lease while a handler
 * runs and becomes `done` (with a TTL) once it succeeded. Markers share their stream's hash slot,
 * so marking and acking is one atomic script, on a single Redis or a Cluster alike. Calls made
 * together are sent together.
 */
export class IdempotencyMarkers {
  /** marker key → lease token, for the leases this process holds. */
  private readonly leases = new Map<string, string>();
  private readonly begins: KeyedBatcher<BeginItem, MarkerClaim>;
  private readonly completions: KeyedBatcher<CompleteItem, undefined>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly leaseMs: number,
    private readonly doneTtlSeconds: number,
    /** Off: every begin acquires without asking Redis, and completion only acks. */
    private readonly enabled = true,
  ) {
    this.begins = new KeyedBatcher((_slot, items) =>
      BEGIN.run(
        this.redis,
        items.map((i) => i.key),
        [this.leaseMs, ...items.map((i) => i.token)],
      ),
    );
    this.completions = new KeyedBatcher(async (stream, items) => {
      const markers = items.flatMap((i) => (i.markerKey ? [i.markerKey] : []));
      await COMPLETE.run(
        this.redis,
        [stream, consumerAcksKey(this.prefix, stream, this.group), ...markers],
        [this.group, this.doneTtlSeconds, this.consumer, Date.now(), ...items.map((i) => i.entryId)],
      );
      return items.map(() => undefined);
    });
  }

  markerKey(stream: string, eventId: string): string {
    return `${this.prefix}:{${slotTagOf(stream)}}:done:${this.group}:${eventId}`;
  }

  private errorKey(stream: string, entryId: string): string {
    return `${this.prefix}:{${slotTagOf(stream)}}:error:${this.group}:${stream}:${entryId}`;
  }

  /** Starts this consumer's ack clock: a consumer that starts and never acks is seen as stuck too. */
  async markStarted(streams: readonly string[]): Promise<void> {
    const now = Date.now();
    await Promise.all(
      streams.map((stream) =>
        this.redis.hset(consumerAcksKey(this.prefix, stream, this.group), this.consumer, now),
      ),
    );
  }

  /** Takes the lease for an event, or says it is already done or running elsewhere. */
  async begin(stream: string, eventId: string, token: string): Promise<MarkerClaim> {
    if (!this.enabled) return 'acquired';
    const key = this.markerKey(stream, eventId);
    const claim = await this.begins.add(slotTagOf(stream), { key, token });
    if (claim === 'acquired') this.leases.set(key, token);
    return claim;
  }

  /** Marks the event done (when given) and acks its entry, atomically. */
  async completeAndAck(stream: string, entryId: string, eventId?: string): Promise<void> {
    const markerKey = eventId === undefined || !this.enabled ? undefined : this.markerKey(stream, eventId);
    await this.completions.add(stream, markerKey ? { entryId, markerKey } : { entryId });
    if (markerKey) this.leases.delete(markerKey);
  }

  async release(stream: string, eventId: string, token: string): Promise<void> {
    if (!this.enabled) return;
    const key = this.markerKey(stream, eventId);
    this.leases.delete(key);
    await RELEASE_IF_OWNER.run(this.redis, [key], [token]);
  }

  async extendLeases(): Promise<void> {
    if (this.leases.size === 0) return;
    // One command per lease, not one pipeline: leases of different streams sit on different slots
    // (nodes, on a cluster); auto-pipelining still sends each node's share in one write.
    await Promise.all(
      [...this.leases].map(([key, token]) => EXTEND_IF_OWNER.run(this.redis, [key], [token, this.leaseMs])),
    );
  }

  async recordError(stream: string, entryId: string, message: string): Promise<void> {
    await this.redis.set(this.errorKey(stream, entryId), message.slice(0, 2_000), 'EX', this.doneTtlSeconds);
  }

  async lastError(stream: string, entryId: string): Promise<string | null> {
    return this.redis.get(this.errorKey(stream, entryId));
  }
}
