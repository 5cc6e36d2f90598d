import type { Redis } from 'ioredis';
import { ENVELOPE_FIELD, sessionKeys, type EventEnvelope, type EventType } from '@livetranslate/contracts';

// Appends an entry unless its result slot is already filled, in one step: two workers racing on
// the same chunk, or a redelivery, can never write a second copy.
const APPEND_ONCE = `
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return {existing, 0} end
local id = redis.call('XADD', KEYS[1], '*', 'data', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], id)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return {id, 1}`;

// Appends an ordered entry (no slot) and refreshes the TTL, in one step on the session's slot.
const APPEND = `
local id = redis.call('XADD', KEYS[1], '*', 'data', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return id`;

export interface LogEntry {
  id: string;
  envelope: EventEnvelope;
}

type ScriptedRedis = Redis & {
  ltAppendOnce(numKeys: number, ...args: Array<string | number>): Promise<[string, number]>;
  ltAppend(numKeys: number, ...args: Array<string | number>): Promise<string>;
};

/**
 * A session's ordered event log (a Redis stream per session, with a TTL): the worker appends
 * results exactly once per slot, other writers append ordered events; the gateway reads it to
 * deliver and resume.
 */
export class SessionEventLog {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    redis.defineCommand('ltAppendOnce', { lua: APPEND_ONCE });
    redis.defineCommand('ltAppend', { lua: APPEND });
    this.redis = redis as ScriptedRedis;
  }

  keyOf(sessionId: string): string {
    return sessionKeys(this.prefix, sessionId).events;
  }

  /** Appends unless `slot` is already filled; returns the entry id and whether it was new. */
  async appendOnce<T extends EventType>(
    sessionId: string,
    slot: string,
    envelope: EventEnvelope<T>,
  ): Promise<{ id: string; appended: boolean }> {
    const keys = sessionKeys(this.prefix, sessionId);
    const [id, appended] = await this.redis.ltAppendOnce(
      2,
      keys.events,
      keys.results,
      slot,
      JSON.stringify(envelope),
      this.ttlSeconds,
    );
    return { id, appended: appended === 1 };
  }

  /**
   * Appends an event that is not one-per-slot (a status transition, a notice), in order after
   * whatever is in the log; readers resume past it by id like any other entry. Not idempotent:
   * callers that may retry give the envelope a stable event id so clients can drop copies.
   */
  async append<T extends EventType>(sessionId: string, envelope: EventEnvelope<T>): Promise<string> {
    return this.redis.ltAppend(1, this.keyOf(sessionId), JSON.stringify(envelope), this.ttlSeconds);
  }

  /** The entry id filling `slot`, if any. */
  async slotEntry(sessionId: string, slot: string): Promise<LogEntry | null> {
    const id = await this.redis.hget(sessionKeys(this.prefix, sessionId).results, slot);
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
} as const;
