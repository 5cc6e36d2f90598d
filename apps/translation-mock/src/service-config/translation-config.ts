import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const TRANSLATION_BACKENDS = ['mock-dictionary'] as const;

export interface TranslationSettings {
  backend: (typeof TRANSLATION_BACKENDS)[number];
  default_model: string;
  temperature: number;
  max_tokens: number;
}

/** A partial update pushed to `POST /api/config`; unknown keys are refused. */
export class TranslationSettingsUpdate implements Partial<TranslationSettings> {
  @IsOptional()
  @IsIn(TRANSLATION_BACKENDS)
  backend?: TranslationSettings['backend'];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  default_model?: string;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8192)
  max_tokens?: number;
}

/** The service's runtime settings, which the config-sync worker pushes and reads back. */
@Injectable()
export class TranslationConfig {
  private settings: TranslationSettings = {
    backend: 'mock-dictionary',
    default_model: 'dictionary-v1',
    temperature: 0,
    max_tokens: 1024,
  };

  current(): TranslationSettings {
    return { ...this.settings };
  }

  update(changes: TranslationSettingsUpdate): TranslationSettings {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    this.settings = { ...this.settings, ...defined };
    return this.current();
  }

  checksum(): string {
    const canonical = JSON.stringify(
      Object.fromEntries(Object.entries(this.settings).sort(([a], [b]) => a.localeCompare(b))),
    );
    return createHash('sha256').update(canonical).digest('hex');
  }
}
