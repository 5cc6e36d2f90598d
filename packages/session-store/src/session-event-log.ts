import { LuaScript, type RedisClient, type ScriptArg } from '@livetranslate/redis-streams';
import {
  ENVELOPE_FIELD,
  SESSION_LIVE_FIELDS,
  SESSION_LIVE_MAX_ENTRIES,
  sessionKeys,
  sessionLiveStreamKey,
  sessionPartition,
  type EventEnvelope,
  type EventType,
} from '@livetranslate/contracts';

// Appends an entry unless its result slot is already filled, in one step: two workers racing on
// the same chunk, or a redelivery, can never write a second copy. Returns the entry id, whether it
// is new, the id of the entry before it (for the live fan-out's gap check) and, for an entry that
// was there already, its stored event (so a redelivery repeats the live publish a crash may have
// lost; '' for a new one). A Lua function, so a script that does more in the same step (recording
// the chunk finished, in SessionCompletion) starts with it.
export const APPEND_ONCE_LUA = `
local function append_once(events, results, slot, data, ttl)
  local existing = redis.call('HGET', results, slot)
  if existing then
    local entry = redis.call('XRANGE', events, existing, existing)
    local before = redis.call('XREVRANGE', events, '(' .. existing, '-', 'COUNT', 1)
    local stored = ''
    if entry[1] then stored = entry[1][2][2] end
    return {existing, 0, before[1] and before[1][1] or '', stored}
  end
  local id = redis.call('XADD', events, '*', 'data', data)
  local before = redis.call('XREVRANGE', events, '(' .. id, '-', 'COUNT', 1)
  redis.call('HSET', results, slot, id)
  redis.call('EXPIRE', events, ttl)
  redis.call('EXPIRE', results, ttl)
  return {id, 1, before[1] and before[1][1] or '', ''}
end`;

/** What an append-once script answers: id, 1 when new, the previous id, the stored event, then its own. */
export type AppendOnceReply<After = never> = [string, number, string, string, After?];

const APPEND_ONCE = new LuaScript<AppendOnceReply>(
  'log-append-once',
  `${APPEND_ONCE_LUA}
return append_once(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])`,
);

/**
 * A script that appends once (its keys and arguments first, as `appendOnce` passes them: the log,
 * the slot index; the slot, the data, the TTL) and then does more on the session's slot; what it
 * does more with comes after, in `keys` and `args`, and its answer is the reply's fifth element.
 */
export interface AfterAppend<After> {
  script: LuaScript<AppendOnceReply<After>>;
  keys: readonly string[];
  args: readonly ScriptArg[];
}

// Appends an ordered entry (no slot) and refreshes the TTL, in one step on the session's slot.
const APPEND = new LuaScript<[string, string]>(
  'log-append',
  `
local id = redis.call('XADD', KEYS[1], '*', 'data', ARGV[1])
local before = redis.call('XREVRANGE', KEYS[1], '(' .. id, '-', 'COUNT', 1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {id, before[1] and before[1][1] or ''}`,
);

export interface LogEntry {
  id: string;
  envelope: EventEnvelope;
}

/**
 * A session's ordered event log (a Redis stream per session, with a TTL): the worker appends
 * results exactly once per slot, other writers append ordered events; the gateway reads it to
 * deliver and resume. Every append is then repeated on the session's partition's live fan-out
 * stream (another slot, so a second command), which the gateway replicas follow; a publish lost
 * to a crash in between is found by the fan-out's gap check or repeated by the redelivery.
 */
export class SessionEventLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    /** Partitions of the live fan-out (AUDIO_INGEST_PARTITIONS). */
    private readonly partitions = 1,
  ) {}

  /** The live fan-out stream `sessionId`'s appends are repeated on. */
  liveStreamOf(sessionId: string): string {
    return sessionLiveStreamKey(this.prefix, sessionPartition(sessionId, this.partitions));
  }

  keyOf(sessionId: string): string {
    return sessionKeys(this.prefix, sessionId).events;
  }

  /**
   * Appends unless `slot` is already filled; returns the entry id and whether it was new. With
   * `after`, its script runs instead, in the same step, and its answer comes back as `after`.
   */
  async appendOnce<T extends EventType, After = never>(
    sessionId: string,
    slot: string,
    envelope: EventEnvelope<T>,
    after?: AfterAppend<After>,
  ): Promise<{ id: string; appended: boolean; after?: After }> {
    const keys = sessionKeys(this.prefix, sessionId);
    const data = JSON.stringify(envelope);
    const [id, appended, previous, stored, answer] = await (after?.script ?? APPEND_ONCE).run(
      this.redis,
      [keys.events, keys.results, ...(after?.keys ?? [])],
      [slot, data, this.ttlSeconds, ...(after?.args ?? [])],
    );
    const live = appended === 1 ? data : stored;
    if (live) await this.publishLive(sessionId, id, previous, live);
    return {
      id,
      appended: appended === 1,
      ...(answer === undefined || answer === null ? {} : { after: answer }),
    };
  }

  /**
   * Appends an event that is not one-per-slot (a status transition, a notice), in order after
   * whatever is in the log; readers resume past it by id like any other entry. Not idempotent:
   * callers that may retry give the envelope a stable event id so clients can drop copies.
   */
  async append<T extends EventType>(sessionId: string, envelope: EventEnvelope<T>): Promise<string> {
    const data = JSON.stringify(envelope);
    const [id, previous] = await APPEND.run(this.redis, [this.keyOf(sessionId)], [data, this.ttlSeconds]);
    await this.publishLive(sessionId, id, previous, data);
    return id;
  }

  /** Repeats log entry `id` (after `previous`) on the session's live fan-out stream. */
  async publishLive(sessionId: string, id: string, previous: string, data: string): Promise<void> {
    await this.redis.xadd(
      this.liveStreamOf(sessionId),
      'MAXLEN',
      '~',
      SESSION_LIVE_MAX_ENTRIES,
      '*',
      SESSION_LIVE_FIELDS.session,
      sessionId,
      SESSION_LIVE_FIELDS.id,
      id,
      SESSION_LIVE_FIELDS.previous,
      previous,
      ENVELOPE_FIELD,
      data,
    );
  }

  /**
   * Sends an event to the session's connected clients only, through the live fan-out: not in the
   * log, so never replayed (a TranscriptionDraft). Its live entry has no log id.
   */
  async publishDraft<T extends EventType>(sessionId: string, envelope: EventEnvelope<T>): Promise<void> {
    await this.publishLive(sessionId, '', '', JSON.stringify(envelope));
  }

  /** The log id of the entry filling `slot`, if any. */
  async slotId(sessionId: string, slot: string): Promise<string | null> {
    return this.redis.hget(sessionKeys(this.prefix, sessionId).results, slot);
  }

  /** The entry filling `slot`, if any. */
  async slotEntry(sessionId: string, slot: string): Promise<LogEntry | null> {
    const id = await this.slotId(sessionId, slot);
    if (!id) return null;
    const [entry] = await this.range(sessionId, id, id, 1);
    return entry ?? null;
  }

  /** Entries after `afterId` (exclusive), oldest first. */
  async after(sessionId: string, afterId: string, count = 500, until = '+'): Promise<LogEntry[]> {
    return this.range(sessionId, afterId === '0' || afterId === '0-0' ? '-' : `(${afterId}`, until, count);
  }

  async all(sessionId: string): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    let after = '0-0';
    for (;;) {
      const page = await this.after(sessionId, after, 1000);
      out.push(...page);
      if (page.length < 1000) return out;
      after = page[page.length - 1]!.id;
    }
  }

  private async range(sessionId: string, start: string, end: string, count: number): Promise<LogEntry[]> {
    const rows = await this.redis.xrange(this.keyOf(sessionId), start, end, 'COUNT', count);
    return rows.map(([id, fields]) => ({ id, envelope: parseEntry(fields) }));
  }
}

/** One entry of a live fan-out stream (what `publishLive` writes): a session log append, repeated. */
export interface LiveEntry {
  sessionId: string;
  /** The entry's id in the session log (what clients resume by); '' for a live-only event (a draft). */
  id: string;
  /** The log entry before it ('' when it was the first). */
  previous: string;
  envelope: EventEnvelope;
}

/** Reads a live fan-out entry; null for anything that is not one. */
export function parseLiveEntry(fields: string[]): LiveEntry | null {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  const sessionId = map[SESSION_LIVE_FIELDS.session];
  const id = map[SESSION_LIVE_FIELDS.id];
  const data = map[ENVELOPE_FIELD];
  if (!sessionId || id === undefined || !data) return null;
  try {
    return {
      sessionId,
      id,
      previous: map[SESSION_LIVE_FIELDS.previous] ?? '',
      envelope: JSON.parse(data) as EventEnvelope,
    };
  } catch {
    return null;
  }
}

export function parseEntry(fields: string[]): EventEnvelope {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === ENVELOPE_FIELD) return JSON.parse(fields[i + 1]!) as EventEnvelope;
  }
  throw new Error('session log entry has no data field');
}

/** Result slots: one transcription per chunk, one translation per chunk and language. */
export const RESULT_SLOTS = {
  transcription: (seq: number) => `t:${seq}`,
  translation: (seq: number, language: string) => `x:${seq}:${language}`,
  failure: (seq: number, stage: string, language?: string) =>
    `f:${seq}:${stage}${language ? `:${language}` : ''}`,
  ended: 'end',
  completed: 'completed',
} as const;
