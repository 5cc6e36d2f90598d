import { Controller, Get } from '@nestjs/common';
import { WHISPER_MODELS } from '../models/whisper-models.js';
import { WhisperConfig } from '../service-config/whisper-config.js';

/** The Whisper service's own health route (the platform's /healthz and /readyz live beside it). */
@Controller('health')
export class ServiceHealthController {
  private readonly startedAt = Date.now();

  constructor(private readonly config: WhisperConfig) {}

  @Get()
  health() {
    return {
      status: 'healthy',
      service: 'whisper',
      backend: 'mock',
      models_available: WHISPER_MODELS.length,
      default_model: this.config.current().default_model,
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}
