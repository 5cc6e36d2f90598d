import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * The Whisper service's HTTP contract as the original orchestration service calls it. These classes
 * validate what comes back; fields beyond them are allowed (the real service sends more).
 */
export class WhisperSegmentBody {
  @IsOptional()
  @IsInt()
  id?: number;

  /** Seconds from the start of the audio. */
  @IsNumber()
  @Min(0)
  start!: number;

  @IsNumber()
  @Min(0)
  end!: number;

  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  speaker?: string;

  @IsOptional()
  @IsNumber()
  confidence?: number;
}

export class WhisperTranscriptionBody {
  @IsString()
  text!: string;

  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WhisperSegmentBody)
  segments!: WhisperSegmentBody[];

  @IsString()
  language!: string;

  @IsOptional()
  @IsNumber()
  confidence?: number;

  @IsNumber()
  processing_time!: number;

  @IsString()
  model_used!: string;

  @IsOptional()
  @IsNumber()
  duration?: number;
}

export class WhisperHealthBody {
  @IsString()
  status!: string;
}

export class WhisperModelsBody {
  @IsArray()
  @IsString({ each: true })
  models!: string[];

  @IsOptional()
  @IsString()
  default?: string;
}

export class ServiceConfigBody {
  @IsObject()
  config!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  checksum?: string;
}

/** OpenAI `verbose_json` transcription. */
export class OpenAiVerboseBody {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  language?: string;

  @IsOptional()
  @IsNumber()
  duration?: number;

  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OpenAiSegmentBody)
  segments?: OpenAiSegmentBody[];
}

export class OpenAiSegmentBody {
  @IsNumber()
  start!: number;

  @IsNumber()
  end!: number;

  @IsString()
  text!: string;

  @IsOptional()
  @IsNumber()
  avg_logprob?: number;

  @IsOptional()
  @IsNumber()
  no_speech_prob?: number;
}

export class OpenAiModelsBody {
  @IsArray()
  @IsObject({ each: true })
  data!: Array<{ id: string }>;
}

export class TranslationBody {
  @IsString()
  translated_text!: string;

  @IsString()
  source_language!: string;

  @IsString()
  target_language!: string;

  @IsNumber()
  confidence_score!: number;

  @IsNumber()
  processing_time!: number;

  @IsString()
  backend_used!: string;

  @IsOptional()
  @IsString()
  model_used?: string;
}

export class TranslationHealthBody {
  @IsString()
  status!: string;
}

export class LanguageBody {
  @IsString()
  code!: string;

  @IsString()
  name!: string;
}

export class LanguagesBody {
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LanguageBody)
  languages!: LanguageBody[];
}

export class DetectionBody {
  @IsString()
  language!: string;

  @IsNumber()
  confidence!: number;
}

/** LibreTranslate's `detectedLanguage` (only when the source was `auto`). */
export class LibreDetectedLanguage {
  @IsString()
  language!: string;

  @IsNumber()
  confidence!: number;
}

/** LibreTranslate's `POST /translate` answer. */
export class LibreTranslationBody {
  @IsString()
  translatedText!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LibreDetectedLanguage)
  detectedLanguage?: LibreDetectedLanguage;
}

/** One entry of LibreTranslate's `GET /languages`. */
export class LibreLanguageBody {
  @IsString()
  code!: string;

  @IsString()
  name!: string;
}
