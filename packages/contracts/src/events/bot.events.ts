import { IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

/** `simulated` is a scripted meeting (`sim://…` URLs) for development and tests. Additive. */
export const MEETING_PLATFORMS = ['google_meet', 'zoom', 'teams', 'simulated'] as const;
export type MeetingPlatform = (typeof MEETING_PLATFORMS)[number];

/** Meeting URLs a bot accepts: real meetings over https, simulated ones as `sim://<meeting>?…`. */
export const MEETING_URL_PROTOCOLS = ['https', 'sim'] as const;

/**
 * A bot's lifecycle: requested → queued → spawning → joining → awaiting_admission → active →
 * leaving → stopped | failed. `queued` and `awaiting_admission` were added to the original's list
 * (additive: old consumers ignore values they do not know). Wire values: changing one is a migration.
 */
export const BOT_STATUSES = [
  'requested',
  'queued',
  'spawning',
  'joining',
  'awaiting_admission',
  'active',
  'leaving',
  'stopped',
  'failed',
] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];

export const TERMINAL_BOT_STATUSES: readonly BotStatus[] = ['stopped', 'failed'];

export function isTerminalBotStatus(status: BotStatus): boolean {
  return TERMINAL_BOT_STATUSES.includes(status);
}

/**
 * Every transition a bot may make. Anything else is refused (and counted) by whoever owns the
 * state. `spawning` is reachable again from the running states: that is a recovery on another worker
 * after the one running the bot was lost. Any non-terminal state may end in `stopped` or `failed`.
 */
export const BOT_TRANSITIONS: { readonly [S in BotStatus]: readonly BotStatus[] } = {
  requested: ['queued', 'stopped', 'failed'],
  queued: ['spawning', 'stopped', 'failed'],
  spawning: ['joining', 'spawning', 'leaving', 'stopped', 'failed'],
  joining: ['awaiting_admission', 'active', 'spawning', 'leaving', 'stopped', 'failed'],
  awaiting_admission: ['active', 'spawning', 'leaving', 'stopped', 'failed'],
  active: ['leaving', 'spawning', 'stopped', 'failed'],
  leaving: ['stopped', 'failed'],
  stopped: [],
  failed: [],
};

export function isAllowedBotTransition(from: BotStatus, to: BotStatus): boolean {
  return BOT_TRANSITIONS[from].includes(to);
}

/**
 * Why a bot ended (or why it is leaving): a fixed list, so clients can act on it. Documented in
 * the README. Wire values: changing one is a migration.
 */
export const BOT_END_REASONS = [
  /** Someone called DELETE /api/bots/:id (or published BotStopRequested). */
  'stop_requested',
  /** The meeting ended for everyone. */
  'meeting_ended',
  /** Every other participant left; the bot waited BOT_ALONE_TIMEOUT_MS. */
  'alone_in_meeting',
  /** Nobody admitted the bot from the lobby within BOT_ADMISSION_TIMEOUT_MS. */
  'admission_timeout',
  /** The host refused to admit the bot. */
  'admission_denied',
  /** The host removed the bot from the meeting. */
  'removed_from_meeting',
  /** No audio reached the bot for BOT_NO_AUDIO_TIMEOUT_MS. */
  'no_audio_timeout',
  /** The bot reached BOT_MAX_DURATION_MS. */
  'max_duration',
  /** The worker running it died and recovery was not possible (BOT_MAX_RECOVERY_ATTEMPTS). */
  'worker_lost',
  /** The meeting could not be opened (bad URL, driver disabled or failing). */
  'join_failed',
  /** Audio or captions could not be captured from the meeting. */
  'capture_failed',
] as const;
export type BotEndReason = (typeof BOT_END_REASONS)[number];

/** Where each end leads: the meeting going on without the bot is `stopped`; a bot that could not do its job is `failed`. */
export const BOT_END_STATUS: { readonly [R in BotEndReason]: 'stopped' | 'failed' } = {
  stop_requested: 'stopped',
  meeting_ended: 'stopped',
  alone_in_meeting: 'stopped',
  max_duration: 'stopped',
  removed_from_meeting: 'stopped',
  admission_timeout: 'failed',
  admission_denied: 'failed',
  no_audio_timeout: 'failed',
  worker_lost: 'failed',
  join_failed: 'failed',
  capture_failed: 'failed',
};

export class BotRequested {
  @IsString()
  @IsNotEmpty()
  bot_id!: string;

  @IsString()
  @IsNotEmpty()
  tenant_id!: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: [...MEETING_URL_PROTOCOLS] })
  meeting_url!: string;

  @IsIn(MEETING_PLATFORMS)
  platform!: MeetingPlatform;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  bot_name?: string;

  @IsOptional()
  @IsString()
  session_id?: string;

  @IsOptional()
  @IsString()
  source_language?: string;

  @IsArray()
  @IsString({ each: true })
  target_languages!: string[];
}

export class BotStopRequested {
  @IsString()
  @IsNotEmpty()
  bot_id!: string;

  @IsOptional()
  @IsString()
  tenant_id?: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

export class BotStatusUpdate {
  @IsString()
  @IsNotEmpty()
  bot_id!: string;

  @IsIn(BOT_STATUSES)
  status!: BotStatus;

  @IsOptional()
  @IsIn(BOT_STATUSES)
  previous_status?: BotStatus;

  @IsOptional()
  @IsString()
  reason?: string;

  @IsOptional()
  @IsString()
  session_id?: string;

  /** Additive: the tenant the bot belongs to. */
  @IsOptional()
  @IsString()
  tenant_id?: string;

  /** Additive: for `failed`/`worker_lost`, the state the bot was in when its worker was lost. */
  @IsOptional()
  @IsIn(BOT_STATUSES)
  stage?: BotStatus;
}
