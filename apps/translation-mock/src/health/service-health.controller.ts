import { Controller, Get } from '@nestjs/common';
import { LANGUAGES } from '../translation/dictionary.js';
import { TranslationConfig } from '../service-config/translation-config.js';

/** The translation service's own health route (the platform's /healthz and /readyz live beside it). */
@Controller('api/health')
export class ServiceHealthController {
  private readonly startedAt = Date.now();

  constructor(private readonly config: TranslationConfig) {}

  @Get()
  health() {
    return {
      status: 'healthy',
      service: 'translation',
      backend: this.config.current().backend,
      languages: Object.keys(LANGUAGES).length,
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}
