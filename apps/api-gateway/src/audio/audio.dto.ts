import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { MAX_TARGET_LANGUAGES } from '@livetranslate/contracts';
import { SUPPORTED_SAMPLE_RATES } from '@livetranslate/ingest';

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? Number(value) : value;
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** Query of `POST /api/sessions/:id/audio`. */
export class ChunkQueryDto {
  @ApiPropertyOptional({
    description: 'Sample rate of a raw PCM s16le mono body (a WAV body carries its own)',
  })
  @IsOptional()
  @Transform(toNumber)
  @IsIn(SUPPORTED_SAMPLE_RATES)
  sample_rate?: number;
}

/** Query (or multipart fields) of `POST /api/audio/upload`. */
export class UploadQueryDto {
  @ApiPropertyOptional({ description: 'Answer only when the transcript and translations are done' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  wait?: boolean;

  @ApiPropertyOptional({
    description: `Comma-separated target languages, e.g. es,fr (at most ${MAX_TARGET_LANGUAGES}; GET /api/languages lists them)`,
  })
  @IsOptional()
  @Transform(toList)
  target_languages?: string[];

  @ApiPropertyOptional({ description: 'Where SessionCompleted and failures are POSTed, signed' })
  @IsOptional()
  webhook_url?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'The older name of target_languages' })
  @IsOptional()
  @Transform(toList)
  languages?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  source_language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  diarization?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toNumber)
  chunk_ms?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toNumber)
  overlap_ms?: number;
}
