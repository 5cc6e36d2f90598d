import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { WHISPER_MODELS, type WhisperModel } from '../models/whisper-models.js';

export interface WhisperSettings {
  default_model: WhisperModel;
  default_language: string;
  enable_vad: boolean;
  enable_diarization: boolean;
  beam_size: number;
}

/** A partial update pushed to `POST /api/config`; unknown keys are refused. */
export class WhisperSettingsUpdate implements Partial<WhisperSettings> {
  @IsOptional()
  @IsIn(WHISPER_MODELS)
  default_model?: WhisperModel;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  default_language?: string;

  @IsOptional()
  @IsBoolean()
  enable_vad?: boolean;

  @IsOptional()
  @IsBoolean()
  enable_diarization?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  beam_size?: number;
}

/** The service's runtime settings, which the config-sync worker pushes and reads back. */
@Injectable()
export class WhisperConfig {
  private settings: WhisperSettings = {
    default_model: 'whisper-base',
    default_language: 'auto',
    enable_vad: true,
    enable_diarization: false,
    beam_size: 5,
  };

  current(): WhisperSettings {
    return { ...this.settings };
  }

  update(changes: WhisperSettingsUpdate): WhisperSettings {
    this.settings = { ...this.settings, ...stripUndefined(changes) };
    return this.current();
  }

  /** sha256 of the canonical JSON, so drift shows as a different checksum. */
  checksum(): string {
    const canonical = JSON.stringify(
      Object.fromEntries(Object.entries(this.settings).sort(([a], [b]) => a.localeCompare(b))),
    );
    return createHash('sha256').update(canonical).digest('hex');
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
