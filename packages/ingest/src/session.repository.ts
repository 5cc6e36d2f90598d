import { Inject, Injectable } from '@nestjs/common';
import {
  SESSION_FIELDS as F,
  sessionKeys,
  tenantOpenSessionsKey,
  tenantSessionsKey,
} from '@livetranslate/contracts';
import { pageIndex } from '@livetranslate/session-store';
import { LuaScript, ManagedRedis, type RedisClient } from '@livetranslate/redis-streams';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';
import type { SessionOptions } from './session-options.js';

/** Who feeds a session: its API clients, or a meeting bot (then clients may only read it). */
export type SessionOrigin = 'client' | 'bot';

export interface SessionRecord {
  id: string;
  tenantId: string;
  status: 'open' | 'ended';
  createdAt: string;
  options: SessionOptions;
  chunks: number;
  origin: SessionOrigin;
  /** New audio accepted so far, in ms: where the next chunk starts on the session timeline. */
  timelineMs: number;
  /** Chunks whose processing is over (results or a ProcessingFailed), and of those the failed ones. */
  chunksDone: number;
  chunksFailed: number;
  /**
   * The end of the last chunk that its next chunk was to repeat, in ms (0 when that chunk closed its
   * input): a live input opened after its predecessor died starts by repeating it, so no word at
   * the cut is lost.
   */
  pendingOverlapMs: number;
}

// Counts a tenant's open sessions, forgetting those whose record has expired, and takes a slot.
const TAKE_SLOT = new LuaScript<number>(
  'session-take-slot',
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`,
);

// Reserves the next chunk number and its place on the session timeline, if the session is open
// (and, given ARGV[4], only if that number is the next one).
const RESERVE_CHUNK = new LuaScript<[number, number]>(
  'session-reserve-chunk',
  `
local status = redis.call('HGET', KEYS[1], '${F.status}')
if not status then return {-1, 0} end
if status ~= 'open' then return {-2, 0} end
if ARGV[4] ~= '' and redis.call('HGET', KEYS[1], '${F.nextSeq}') ~= ARGV[4] then return {-3, 0} end
local seq = redis.call('HINCRBY', KEYS[1], '${F.nextSeq}', 1) - 1
local timeline = redis.call('HINCRBY', KEYS[1], '${F.timelineMs}', ARGV[1]) - tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'pending_overlap_ms', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {seq, timeline}`,
);

// Closes a session once: returns {closed now?, chunks accepted}.
const END_SESSION = new LuaScript<[number, number]>(
  'session-end',
  `
local status = redis.call('HGET', KEYS[1], '${F.status}')
if not status then return {-1, 0} end
local chunks = tonumber(redis.call('HGET', KEYS[1], '${F.nextSeq}'))
if status ~= 'open' then return {0, chunks} end
redis.call('HSET', KEYS[1], '${F.status}', 'ended', 'ended_at', ARGV[1])
return {1, chunks}`,
);

/** Where a session is: taking audio, its input ended with results still coming, or completed. */
export type SessionState = 'open' | 'ended' | 'completed';
export const SESSION_STATES: readonly SessionState[] = ['open', 'ended', 'completed'];

export function sessionState(session: SessionRecord): SessionState {
  if (session.status === 'open') return 'open';
  return session.chunksDone >= session.chunks ? 'completed' : 'ended';
}

export type ReserveResult =
  { ok: true; seq: number; timelineMs: number } | { ok: false; reason: 'not_found' | 'ended' | 'superseded' };

/** Session records in Redis: a hash per session (tagged by id) and a per-tenant set of open ones. */
@Injectable()
export class SessionRepository {
  private readonly redis: RedisClient;

  constructor(
    connection: ManagedRedis,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {
    const redis = connection.redis;
    this.redis = redis;
  }

  private keys(id: string) {
    return sessionKeys(this.settings.keyPrefix, id);
  }

  /** Creates the session unless the tenant is at its open-session limit (then returns false). */
  async create(
    id: string,
    tenantId: string,
    options: SessionOptions,
    origin: SessionOrigin,
    maxOpenSessions: number,
  ): Promise<boolean> {
    const ttlMs = this.settings.sessionTtlSeconds * 1000;
    const now = Date.now();
    const took = await TAKE_SLOT.run(
      this.redis,
      [tenantOpenSessionsKey(this.settings.keyPrefix, tenantId)],
      [now, maxOpenSessions, now + ttlMs, id, ttlMs],
    );
    if (took !== 1) return false;
    const key = this.keys(id).meta;
    await this.redis
      .multi()
      .hset(key, {
        tenant: tenantId,
        [F.status]: 'open',
        [F.options]: JSON.stringify(options),
        created_at: new Date(now).toISOString(),
        [F.nextSeq]: 0,
        [F.timelineMs]: 0,
        origin,
        // A bot's final status comes after its input ends; the session completes after that.
        ...(origin === 'bot' ? { [F.completionHold]: 'bot' } : {}),
      })
      .expire(key, this.settings.sessionTtlSeconds)
      .exec();
    // The listing index (another slot: the tenant's). It lives as long as the tenant opens sessions.
    const index = tenantSessionsKey(this.settings.keyPrefix, tenantId);
    await this.redis.zadd(index, now, id);
    await this.redis.pexpire(index, ttlMs);
    return true;
  }

  /**
   * Records a chunk as published and not yet finished (its payload, for the repair that republishes
   * a chunk whose event was lost with its replica); the worker drops it once the chunk is finished.
   */
  async recordInFlight(id: string, seq: number, payload: object): Promise<void> {
    await this.redis.hset(this.keys(id).meta, F.inFlightChunk(seq), JSON.stringify(payload));
  }

  /** The tenant's sessions, newest first, optionally only those in `state`; `cursor` is an offset. */
  async list(
    tenantId: string,
    options: { state?: SessionState | undefined; limit: number; cursor?: number | undefined },
  ): Promise<{ sessions: SessionRecord[]; nextCursor: number | null }> {
    const { items, nextCursor } = await pageIndex(this.redis, {
      index: tenantSessionsKey(this.settings.keyPrefix, tenantId),
      limit: options.limit,
      cursor: options.cursor,
      // Each session's record is on its own slot: one read each (auto-pipelined together).
      load: (ids) => Promise.all(ids.map((id) => this.get(id))),
      ...(options.state ? { keep: (s: SessionRecord) => sessionState(s) === options.state } : {}),
    });
    return { sessions: items, nextCursor };
  }

  /** The tenant a session belongs to (one field, for callers that need nothing else); null when gone. */
  async tenantOf(id: string): Promise<string | null> {
    return this.redis.hget(this.keys(id).meta, 'tenant');
  }

  async get(id: string): Promise<SessionRecord | null> {
    const raw = await this.redis.hgetall(this.keys(id).meta);
    if (!raw.tenant) return null;
    return {
      id,
      tenantId: raw.tenant,
      status: raw[F.status] === 'open' ? 'open' : 'ended',
      createdAt: raw.created_at ?? '',
      options: JSON.parse(raw[F.options] ?? '{}') as SessionOptions,
      chunks: Number(raw[F.nextSeq] ?? 0),
      origin: raw.origin === 'bot' ? 'bot' : 'client',
      timelineMs: Number(raw[F.timelineMs] ?? 0),
      chunksDone: Number(raw[F.chunksDone] ?? 0),
      chunksFailed: Number(raw[F.chunksFailed] ?? 0),
      pendingOverlapMs: Number(raw.pending_overlap_ms ?? 0),
    };
  }

  /**
   * `trailingOverlapMs`: the chunk's end that the next chunk is to repeat. `expectedSeq`: reserve
   * only if it is the next number, else `superseded` (another chunk was reserved meanwhile).
   */
  async reserveChunk(
    id: string,
    newAudioMs: number,
    trailingOverlapMs = 0,
    expectedSeq?: number,
  ): Promise<ReserveResult> {
    const [seq, timelineMs] = await RESERVE_CHUNK.run(
      this.redis,
      [this.keys(id).meta],
      [
        Math.round(newAudioMs),
        this.settings.sessionTtlSeconds,
        Math.round(trailingOverlapMs),
        expectedSeq ?? '',
      ],
    );
    if (seq === -1) return { ok: false, reason: 'not_found' };
    if (seq === -2) return { ok: false, reason: 'ended' };
    if (seq === -3) return { ok: false, reason: 'superseded' };
    return { ok: true, seq, timelineMs };
  }

  /** Ends the session; `closedNow` is false if it had ended already. */
  async end(id: string, tenantId: string): Promise<{ closedNow: boolean; chunks: number } | null> {
    const [state, chunks] = await END_SESSION.run(
      this.redis,
      [this.keys(id).meta],
      [new Date().toISOString()],
    );
    if (state === -1) return null;
    await this.redis.zrem(tenantOpenSessionsKey(this.settings.keyPrefix, tenantId), id);
    return { closedNow: state === 1, chunks };
  }
}
