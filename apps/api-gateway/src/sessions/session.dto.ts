import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Max,
  Min,
} from 'class-validator';
import { MAX_TARGET_LANGUAGES } from '@livetranslate/contracts';
import {
  SESSION_STATES,
  SUPPORTED_SAMPLE_RATES,
  type SessionOptions,
  type SessionState,
} from '@livetranslate/ingest';
import { PageQuery } from './page-query.js';

const LANGUAGE = /^(auto|[a-z]{2,3}(-[A-Za-z]{2,4})?)$/;
/** What `webhook_url` accepts as a URL; where it may point is checked when the session is made. */
export const WEBHOOK_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class CreateSessionDto {
  @ApiPropertyOptional({ example: 'en', description: 'Spoken language (ISO 639-1), or "auto" to detect it' })
  @IsOptional()
  @IsString()
  @Matches(LANGUAGE, { message: 'source_language must be an ISO 639-1 code or "auto"' })
  source_language?: string;

  @ApiPropertyOptional({
    example: ['es', 'fr'],
    maxItems: MAX_TARGET_LANGUAGES,
    description: `Languages to translate every chunk into (at most ${MAX_TARGET_LANGUAGES}; GET /api/languages lists them)`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGET_LANGUAGES)
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, {
    each: true,
    message: 'each target language must be an ISO 639-1 code',
  })
  target_languages?: string[];

  @ApiPropertyOptional({ description: 'Label speakers (per channel, or per voice on mono)' })
  @IsOptional()
  @IsBoolean()
  diarization?: boolean;

  @ApiPropertyOptional({ example: 3000, description: 'Chunk length in ms (1000–30000)' })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(30_000)
  chunk_ms?: number;

  @ApiPropertyOptional({
    example: 500,
    description: 'Audio repeated between neighbouring chunks, in ms (0 to half a chunk)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(15_000)
  overlap_ms?: number;

  @ApiPropertyOptional({
    example: 16000,
    description: 'Sample rate of raw PCM s16le mono frames sent over WebSocket',
  })
  @IsOptional()
  @IsIn(SUPPORTED_SAMPLE_RATES)
  sample_rate?: number;

  @ApiPropertyOptional({
    example: 'https://example.com/hooks/livetranslate',
    description:
      'POSTed, signed, for SessionCompleted, each ProcessingFailed (and a bot’s status changes); see the README for verification',
  })
  @IsOptional()
  @IsUrl(WEBHOOK_URL, { message: 'webhook_url must be an http:// or https:// URL' })
  @MaxLength(2048)
  webhook_url?: string;
}

export class SessionUrlsView {
  @ApiProperty({ example: 'ws://localhost:3000/ws/sessions/…' })
  websocket!: string;

  @ApiProperty()
  events!: string;

  @ApiProperty()
  audio!: string;

  @ApiProperty()
  transcript!: string;
}

export class IngestQueueView {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Chunks on the session’s ingest partition (any session’s) not yet handed to a worker',
  })
  waiting!: number | null;

  @ApiProperty({ description: 'Chunks on the partition a worker is processing now' })
  in_progress!: number;

  @ApiProperty({ description: 'Audio workers that read the partition in the last 15 s; 0: none is running' })
  workers!: number;
}

export class SessionProgressView {
  @ApiProperty({ description: 'Chunks accepted so far' })
  chunks_accepted!: number;

  @ApiProperty({ description: 'Chunks with every result' })
  chunks_completed!: number;

  @ApiProperty({ description: 'Chunks with at least one ProcessingFailed' })
  chunks_failed!: number;

  @ApiProperty({ description: 'Chunks accepted whose processing is not over yet' })
  chunks_processing!: number;

  @ApiProperty({
    description:
      'The input ended and every chunk is over: the log holds (or is about to hold) SessionCompleted',
  })
  complete!: boolean;

  @ApiPropertyOptional({
    type: IngestQueueView,
    description:
      'While chunks are processing (GET only): the queue they wait in, and whether workers take it',
  })
  ingest_queue?: IngestQueueView;
}

export class SessionView {
  @ApiProperty()
  session_id!: string;

  @ApiProperty({ enum: ['open', 'ended'], description: 'Whether the session still takes audio' })
  status!: 'open' | 'ended';

  @ApiProperty({
    enum: SESSION_STATES,
    description:
      'open: takes audio; ended: input ended, results still coming; completed: every chunk is over',
  })
  state!: SessionState;

  @ApiProperty()
  created_at!: string;

  @ApiProperty({ description: 'Chunks accepted so far' })
  chunks!: number;

  @ApiProperty({
    description:
      'Audio stored so far, in ms of the session timeline: a client that lost its connection resends its audio from here',
  })
  audio_ms!: number;

  @ApiProperty()
  options!: SessionOptions;

  @ApiProperty()
  progress!: SessionProgressView;

  @ApiProperty()
  urls!: SessionUrlsView;
}

export class ListSessionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SESSION_STATES })
  @IsOptional()
  @IsIn(SESSION_STATES)
  state?: SessionState;
}

export class SessionList {
  @ApiProperty({ type: [SessionView] })
  sessions!: SessionView[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last',
  })
  next_cursor!: string | null;
}
