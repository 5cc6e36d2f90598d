import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BOT_STATUSES,
  MEETING_PLATFORMS,
  MAX_TARGET_LANGUAGES,
  MEETING_URL_PROTOCOLS,
  type BotStatus,
} from '@livetranslate/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../sessions/page-query.js';
import { WEBHOOK_URL } from '../sessions/session.dto.js';

const LANGUAGE = /^(auto|[a-z]{2,3}(-[A-Za-z]{2,4})?)$/;

export class CreateBotDto {
  @ApiProperty({
    example: 'sim://standup?speakers=Alice,Bob',
    description: 'https:// for a real meeting; sim://<meeting>?… for a simulated one (see README)',
  })
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: [...MEETING_URL_PROTOCOLS] },
    { message: 'meeting_url must be an https:// meeting URL or a sim:// simulated meeting' },
  )
  @MaxLength(2_000)
  meeting_url!: string;

  @ApiProperty({ enum: MEETING_PLATFORMS })
  @IsIn(MEETING_PLATFORMS)
  platform!: (typeof MEETING_PLATFORMS)[number];

  @ApiPropertyOptional({ example: 'LiveTranslate' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  bot_name?: string;

  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(LANGUAGE, { message: 'source_language must be an ISO 639-1 code or "auto"' })
  source_language?: string;

  @ApiPropertyOptional({ example: ['es'], maxItems: MAX_TARGET_LANGUAGES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGET_LANGUAGES)
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, {
    each: true,
    message: 'each target language must be an ISO 639-1 code',
  })
  target_languages?: string[];

  @ApiPropertyOptional({
    example: 'https://example.com/hooks/livetranslate',
    description:
      'POSTed, signed, for each status change of the bot and its session’s completion and failures',
  })
  @IsOptional()
  @IsUrl(WEBHOOK_URL, { message: 'webhook_url must be an http:// or https:// URL' })
  @MaxLength(2048)
  webhook_url?: string;
}

export class ListBotsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BOT_STATUSES })
  @IsOptional()
  @IsIn(BOT_STATUSES)
  status?: BotStatus;
}
