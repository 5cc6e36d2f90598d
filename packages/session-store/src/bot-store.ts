import {
  botTenantsKey,
  BOT_STATUSES,
  BOT_TRANSITIONS,
  isTerminalBotStatus,
  tenantBotKeys,
  type BotStatus,
  type MeetingPlatform,
} from '@livetranslate/contracts';
import { pageIndex } from './index-page.js';
import { LuaScript, type RedisClient } from '@livetranslate/redis-streams';

/** A bot as stored: what was asked for, where it is now, and how it got there. */
export interface BotRecord {
  id: string;
  tenantId: string;
  status: BotStatus;
  previousStatus: BotStatus | null;
  /** Why it is where it is (for terminal states, one of BOT_END_REASONS). */
  reason: string | null;
  /** For a bot that failed because its worker was lost: the state it was in. */
  stage: BotStatus | null;
  meetingUrl: string;
  platform: MeetingPlatform;
  botName: string;
  sessionId: string;
  sourceLanguage: string;
  targetLanguages: string[];
  createdAt: string;
  updatedAt: string;
  /** Last sign of life from the worker running it. */
  heartbeatAt: string | null;
  /** Times it was rejoined on another worker after its worker was lost. */
  recoveries: number;
  /** Set when a stop was asked for; the running worker acts on it. */
  stopRequested: string | null;
  /** Wall-clock origin of the meeting's clock, pinned on first admission (a rejoin keeps it). */
  meetingEpochMs: number | null;
}

export interface BotTransition {
  status: BotStatus;
  previous_status: BotStatus | null;
  reason: string | null;
  stage: BotStatus | null;
  at: string;
}

export type NewBot = Pick<
  BotRecord,
  | 'id'
  | 'tenantId'
  | 'meetingUrl'
  | 'platform'
  | 'botName'
  | 'sessionId'
  | 'sourceLanguage'
  | 'targetLanguages'
>;

export type CreateResult =
  | { created: true; bot: BotRecord }
  | { created: false; reason: 'duplicate'; bot: BotRecord }
  | { created: false; reason: 'limit' };

export type TransitionResult =
  | { ok: true; previous: BotStatus; bot: BotRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'illegal'; current: BotStatus };

// Creates a bot unless the tenant already has a live one in that meeting (returns its id) or is at
// its cap of live bots. One slot: every key is tagged by tenant.
const CREATE = new LuaScript<[string, string]>(
  'bot-create',
  `
local existing = redis.call('HGET', KEYS[3], ARGV[2])
if existing then return {'duplicate', existing} end
if redis.call('HLEN', KEYS[3]) >= tonumber(ARGV[3]) then return {'limit', ''} end
local fields = cjson.decode(ARGV[5])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
redis.call('RPUSH', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
return {'created', ARGV[1]}`,
);

// Moves a bot to ARGV[1] if its current status is one of the allowed predecessors (ARGV[2],
// comma-separated). Terminal states release the meeting and start the record's retention.
const TRANSITION = new LuaScript<[string, string]>(
  'bot-transition',
  `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {'not_found', ''} end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == current then allowed = true end end
if not allowed then return {'illegal', current} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'previous_status', current, 'reason', ARGV[3],
  'stage', ARGV[4], 'updated_at', ARGV[5])
if ARGV[8] ~= '' then redis.call('HINCRBY', KEYS[1], 'recoveries', 1) end
local record = cjson.decode(ARGV[6])
record['previous_status'] = current
redis.call('RPUSH', KEYS[2], cjson.encode(record))
if ARGV[7] ~= '0' then
  local meeting = redis.call('HGET', KEYS[1], 'meeting_url')
  if meeting and redis.call('HGET', KEYS[3], meeting) == redis.call('HGET', KEYS[1], 'id') then
    redis.call('HDEL', KEYS[3], meeting)
  end
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  redis.call('EXPIRE', KEYS[2], ARGV[7])
end
return {'ok', current}`,
);

// Records a stop request on a bot that has not ended.
const REQUEST_STOP = new LuaScript<number>(
  'bot-request-stop',
  `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
if status == 'stopped' or status == 'failed' then return 0 end
redis.call('HSET', KEYS[1], 'stop_requested', ARGV[1])
return 1`,
);

/** Predecessors of each status, from the transition table: the script checks against them. */
const ALLOWED_FROM = Object.fromEntries(
  BOT_STATUSES.map((to) => [to, BOT_STATUSES.filter((from) => BOT_TRANSITIONS[from].includes(to)).join(',')]),
) as Record<BotStatus, string>;

/**
 * Bots in Redis, one owner of their state: every change is a checked transition, stored with its
 * time, atomically with the tenant's live-bot index (dedupe by meeting, the per-tenant cap).
 */
export class BotStore {
  private readonly redis: RedisClient;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    /** How long a finished bot's record stays readable. */
    private readonly retentionSeconds = 7 * 86_400,
  ) {
    this.redis = redis;
  }

  /** Creates the bot in `requested`, unless the meeting has a live bot of the tenant, or the cap is hit. */
  async create(bot: NewBot, maxLivePerTenant: number): Promise<CreateResult> {
    const keys = tenantBotKeys(this.prefix, bot.tenantId);
    const now = new Date();
    const at = now.toISOString();
    const fields: Record<string, string> = {
      id: bot.id,
      tenant: bot.tenantId,
      status: 'requested',
      meeting_url: bot.meetingUrl,
      platform: bot.platform,
      bot_name: bot.botName,
      session_id: bot.sessionId,
      source_language: bot.sourceLanguage,
      target_languages: JSON.stringify(bot.targetLanguages),
      created_at: at,
      updated_at: at,
      recoveries: '0',
    };
    const transition: BotTransition = {
      status: 'requested',
      previous_status: null,
      reason: null,
      stage: null,
      at,
    };
    const [outcome, id] = await CREATE.run(
      this.redis,
      [keys.bot(bot.id), keys.transitions(bot.id), keys.live, keys.index],
      [
        bot.id,
        bot.meetingUrl,
        maxLivePerTenant,
        now.getTime(),
        JSON.stringify(fields),
        JSON.stringify(transition),
      ],
    );
    if (outcome === 'limit') return { created: false, reason: 'limit' };
    // Outside the script (another slot): how the monitoring finds every tenant's live bots.
    if (outcome === 'created') await this.redis.sadd(botTenantsKey(this.prefix), bot.tenantId);
    const stored = await this.get(bot.tenantId, id);
    if (!stored) throw new Error(`bot ${id} vanished while being created`);
    return outcome === 'created'
      ? { created: true, bot: stored }
      : { created: false, reason: 'duplicate', bot: stored };
  }

  async get(tenantId: string, botId: string): Promise<BotRecord | null> {
    const raw = await this.redis.hgetall(tenantBotKeys(this.prefix, tenantId).bot(botId));
    return raw.id ? toRecord(raw) : null;
  }

  async transitions(tenantId: string, botId: string): Promise<BotTransition[]> {
    const rows = await this.redis.lrange(tenantBotKeys(this.prefix, tenantId).transitions(botId), 0, -1);
    return rows.map((row) => JSON.parse(row) as BotTransition);
  }

  /**
   * Moves the bot to `to` if the table allows it from where it is now. `recovery` counts a rejoin
   * after a lost worker. Refused moves change nothing and say where the bot is.
   */
  async transition(
    tenantId: string,
    botId: string,
    to: BotStatus,
    details: { reason?: string; stage?: BotStatus; recovery?: boolean } = {},
  ): Promise<TransitionResult> {
    const keys = tenantBotKeys(this.prefix, tenantId);
    const at = new Date().toISOString();
    const record: Omit<BotTransition, 'previous_status'> = {
      status: to,
      reason: details.reason ?? null,
      stage: details.stage ?? null,
      at,
    };
    const [outcome, previous] = await TRANSITION.run(
      this.redis,
      [keys.bot(botId), keys.transitions(botId), keys.live],
      [
        to,
        ALLOWED_FROM[to],
        details.reason ?? '',
        details.stage ?? '',
        at,
        // The script adds previous_status: only it knows the predecessor.
        JSON.stringify(record),
        isTerminalBotStatus(to) ? this.retentionSeconds : 0,
        details.recovery ? '1' : '',
      ],
    );
    if (outcome === 'not_found') return { ok: false, reason: 'not_found' };
    if (outcome === 'illegal') return { ok: false, reason: 'illegal', current: previous as BotStatus };
    const bot = await this.get(tenantId, botId);
    if (!bot) return { ok: false, reason: 'not_found' };
    return { ok: true, previous: previous as BotStatus, bot };
  }

  /** Marks a stop as asked for; false when the bot is unknown or has ended. */
  async requestStop(tenantId: string, botId: string, reason: string): Promise<boolean> {
    return (
      (await REQUEST_STOP.run(this.redis, [tenantBotKeys(this.prefix, tenantId).bot(botId)], [reason])) === 1
    );
  }

  /** The stop reason asked for, if any: one field, as a running bot polls it several times a second. */
  async stopRequested(tenantId: string, botId: string): Promise<string | null> {
    return this.redis.hget(tenantBotKeys(this.prefix, tenantId).bot(botId), 'stop_requested');
  }

  /** Pins the meeting clock's origin the first time; returns the pinned value. */
  async pinMeetingEpoch(tenantId: string, botId: string, epochMs: number): Promise<number> {
    const key = tenantBotKeys(this.prefix, tenantId).bot(botId);
    await this.redis.hsetnx(key, 'meeting_epoch', String(epochMs));
    return Number((await this.redis.hget(key, 'meeting_epoch')) ?? epochMs);
  }

  /** Notes that the worker running the bot handed it over on purpose (draining), not lost it. */
  async markHandover(tenantId: string, botId: string): Promise<void> {
    await this.redis.hset(tenantBotKeys(this.prefix, tenantId).bot(botId), 'handover', '1');
  }

  /** True (once) when the bot's last worker handed it over on purpose. */
  async takeHandover(tenantId: string, botId: string): Promise<boolean> {
    return (await this.redis.hdel(tenantBotKeys(this.prefix, tenantId).bot(botId), 'handover')) === 1;
  }

  async heartbeat(tenantId: string, botId: string): Promise<void> {
    await this.redis.hset(
      tenantBotKeys(this.prefix, tenantId).bot(botId),
      'heartbeat_at',
      new Date().toISOString(),
    );
  }

  /** The tenant's live bots (not stopped or failed): what counts against MAX_BOTS_PER_TENANT. */
  async liveCount(tenantId: string): Promise<number> {
    return this.redis.hlen(tenantBotKeys(this.prefix, tenantId).live);
  }

  /** Every tenant's live (non-terminal) bots, for the monitoring's owner check and usage figures. */
  async liveBots(): Promise<BotRecord[]> {
    const bots: BotRecord[] = [];
    for (const tenantId of await this.redis.smembers(botTenantsKey(this.prefix))) {
      const keys = tenantBotKeys(this.prefix, tenantId);
      const ids = await this.redis.hvals(keys.live);
      if (ids.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.bot(id));
      for (const [, raw] of (await pipeline.exec()) ?? []) {
        const record = raw as Record<string, string> | undefined;
        if (record?.id) bots.push(toRecord(record));
      }
    }
    return bots;
  }

  /** The tenant's bots, newest first, optionally only those in `status`. `cursor` is an offset. */
  async list(
    tenantId: string,
    options: { status?: BotStatus; limit: number; cursor?: number },
  ): Promise<{ bots: BotRecord[]; nextCursor: number | null }> {
    const keys = tenantBotKeys(this.prefix, tenantId);
    const { items, nextCursor } = await pageIndex(this.redis, {
      index: keys.index,
      limit: options.limit,
      cursor: options.cursor,
      // One tenant's keys share a slot: one pipeline.
      load: async (ids) => {
        const pipeline = this.redis.pipeline();
        for (const id of ids) pipeline.hgetall(keys.bot(id));
        const rows = (await pipeline.exec()) ?? [];
        return ids.map((_, i) => {
          const raw = rows[i]?.[1] as Record<string, string> | undefined;
          return raw?.id ? toRecord(raw) : null;
        });
      },
      ...(options.status ? { keep: (bot: BotRecord) => bot.status === options.status } : {}),
    });
    return { bots: items, nextCursor };
  }
}

function toRecord(raw: Record<string, string>): BotRecord {
  const nullable = (value: string | undefined) => (value ? value : null);
  return {
    id: raw.id!,
    tenantId: raw.tenant!,
    status: raw.status as BotStatus,
    previousStatus: nullable(raw.previous_status) as BotStatus | null,
    reason: nullable(raw.reason),
    stage: nullable(raw.stage) as BotStatus | null,
    meetingUrl: raw.meeting_url!,
    platform: raw.platform as MeetingPlatform,
    botName: raw.bot_name ?? '',
    sessionId: raw.session_id!,
    sourceLanguage: raw.source_language ?? 'auto',
    targetLanguages: JSON.parse(raw.target_languages ?? '[]') as string[],
    createdAt: raw.created_at!,
    updatedAt: raw.updated_at!,
    heartbeatAt: nullable(raw.heartbeat_at),
    recoveries: Number(raw.recoveries ?? 0),
    stopRequested: nullable(raw.stop_requested),
    meetingEpochMs: raw.meeting_epoch ? Number(raw.meeting_epoch) : null,
  };
}
