import type { RedisClient } from './connection.js';
import { KeyedBatcher } from './keyed-batcher.js';
import { hashTag, LuaScript, RELEASE_IF_OWNER } from './lua-script.js';

export type MarkerClaim = 'acquired' | 'done' | 'busy';

// Claims each event of a batch for the entry carrying it (KEYS[1] is their stream, ARGV[1] the
// group). The marker holds the id of the entry that claimed it, for as long as a finished event is
// remembered, and is never rewritten on success: the holder's entry leaving the group's pending list
// (acked) is what says the event is done. So a first delivery costs one SET, and completion no
// write beyond its XACK. 'done' and tokens that are not entry ids are the markers of the earlier
// format (a rolling upgrade): done, or a lease that expires by itself. The reply is one letter per
// event (a, d, b), one bulk string for the batch rather than an array of them to decode.
const BEGIN = new LuaScript<string>(
  'begin',
  `
local out = {}
for i = 2, #KEYS do
  local entry = ARGV[i + 1]
  local claim = 'a'
  if not redis.call('SET', KEYS[i], entry, 'EX', ARGV[2], 'NX') then
    local holder = redis.call('GET', KEYS[i])
    if holder == 'done' then
      claim = 'd'
    elseif holder ~= entry then
      local pending = not string.match(holder, '^%d+%-%d+$')
        or #redis.call('XPENDING', KEYS[1], ARGV[1], holder, holder, 1) > 0
      claim = pending and 'b' or 'd'
    end
  end
  out[i - 1] = claim
end
return table.concat(out)`,
);

const CLAIMS = { a: 'acquired', d: 'done', b: 'busy' } as const satisfies Record<string, MarkerClaim>;

// Acks a batch of entries and records when this consumer last acked (KEYS[2]), which the
// monitoring compares against its pending entries; one round trip, one atomic step.
const COMPLETE = new LuaScript<number>(
  'complete',
  `
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 4))`,
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
  entryId: string;
}

/**
 * Per-group, per-event markers that make redelivery harmless: the first entry to carry an event
 * claims its marker; a later entry with the same event is a duplicate to ack once the claiming entry
 * is acked, and waits (stays pending) while it is still being handled. A failed handler gives the
 * claim back. Markers share their stream's hash slot, so each check is one script on a single Redis
 * or a Cluster alike. Calls made together are sent together.
 */
export class IdempotencyMarkers {
  private readonly begins: KeyedBatcher<BeginItem, MarkerClaim>;
  private readonly completions: KeyedBatcher<string, undefined>;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly ttlSeconds: number,
    /** Off: every begin acquires without asking Redis, and completion only acks. */
    private readonly enabled = true,
  ) {
    this.begins = new KeyedBatcher(async (stream, items) => {
      const claims = await BEGIN.run(
        this.redis,
        [stream, ...items.map((i) => i.key)],
        [this.group, this.ttlSeconds, ...items.map((i) => i.entryId)],
      );
      return items.map((_, i) => CLAIMS[claims[i] as keyof typeof CLAIMS]);
    });
    this.completions = new KeyedBatcher(async (stream, entryIds) => {
      await COMPLETE.run(
        this.redis,
        [stream, consumerAcksKey(this.prefix, stream, this.group)],
        [this.group, this.consumer, Date.now(), ...entryIds],
      );
      return entryIds.map(() => undefined);
    });
  }

  /**
   * An untagged stream's slot tag is its own name; a tag may be shared by several streams, so a
   * tagged stream's marker names the stream too: a marker's holder is always an entry of its stream.
   */
  markerKey(stream: string, eventId: string): string {
    const tag = slotTagOf(stream);
    const scope = tag === stream ? '' : `${stream}:`;
    return `${this.prefix}:{${tag}}:done:${this.group}:${scope}${eventId}`;
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

  /** Claims an event for the entry carrying it, or says it is already done or running elsewhere. */
  async begin(stream: string, eventId: string, entryId: string): Promise<MarkerClaim> {
    if (!this.enabled) return 'acquired';
    return this.begins.add(stream, { key: this.markerKey(stream, eventId), entryId });
  }

  /** Acks an entry; for the entry holding its event's claim, that is what marks the event done. */
  async completeAndAck(stream: string, entryId: string): Promise<void> {
    await this.completions.add(stream, entryId);
  }

  /** Gives the claim back (only if `entryId` holds it), so a later delivery runs the event again. */
  async release(stream: string, eventId: string, entryId: string): Promise<void> {
    if (!this.enabled) return;
    await RELEASE_IF_OWNER.run(this.redis, [this.markerKey(stream, eventId)], [entryId]);
  }

  async recordError(stream: string, entryId: string, message: string): Promise<void> {
    await this.redis.set(this.errorKey(stream, entryId), message.slice(0, 2_000), 'EX', this.ttlSeconds);
  }

  async lastError(stream: string, entryId: string): Promise<string | null> {
    return this.redis.get(this.errorKey(stream, entryId));
  }
}
