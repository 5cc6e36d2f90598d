import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BOT_STATUSES,
  MEETING_PLATFORMS,
  MAX_TARGET_LANGUAGES,
  MEETING_URL_PROTOCOLS,
  type BotStatus,
} from '@livetranslate/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

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
}

export class ListBotsQuery {
  @ApiPropertyOptional({ enum: BOT_STATUSES })
  @IsOptional()
  @IsIn(BOT_STATUSES)
  status?: BotStatus;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @Matches(/^\d+$/, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}
