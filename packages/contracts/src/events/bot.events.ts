import { IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

export const MEETING_PLATFORMS = ['google_meet', 'zoom', 'teams'] as const;
export type MeetingPlatform = (typeof MEETING_PLATFORMS)[number];

export const BOT_STATUSES = [
  'requested',
  'spawning',
  'joining',
  'active',
  'leaving',
  'stopped',
  'failed',
] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];

export class BotRequested {
  @IsString()
  @IsNotEmpty()
  bot_id!: string;

  @IsString()
  @IsNotEmpty()
  tenant_id!: string;

  @IsUrl({ require_tld: false })
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
}
