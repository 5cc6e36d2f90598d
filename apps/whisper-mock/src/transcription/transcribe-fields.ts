import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** The form fields of `POST /transcribe` (multipart fields, or query parameters with a raw body). */
export class TranscribeFields {
  @IsOptional()
  @IsString()
  @MaxLength(16)
  language?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  model?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  enable_vad?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  enable_diarization?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  session_id?: string;

  /** Required for raw PCM; ignored for WAV, which carries its own. */
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1000)
  @Max(384_000)
  sample_rate?: number;

  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(8)
  channels?: number;
}

export const OPENAI_RESPONSE_FORMATS = ['json', 'verbose_json', 'text'] as const;
export type OpenAiResponseFormat = (typeof OPENAI_RESPONSE_FORMATS)[number];

/** The form fields of the OpenAI-compatible `POST /v1/audio/transcriptions`. */
export class OpenAiTranscriptionFields {
  @IsString()
  @MaxLength(64)
  model!: string;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  language?: string;

  @IsOptional()
  @IsIn(OPENAI_RESPONSE_FORMATS)
  response_format?: OpenAiResponseFormat;

  @IsOptional()
  @Transform(toNumber)
  @Min(0)
  @Max(1)
  temperature?: number;

  @IsOptional()
  @IsString()
  prompt?: string;
}
