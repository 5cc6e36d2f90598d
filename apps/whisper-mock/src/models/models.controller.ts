import { Controller, Get } from '@nestjs/common';
import { WhisperConfig } from '../service-config/whisper-config.js';
import { WHISPER_MODELS } from './whisper-models.js';

@Controller('api/models')
export class ModelsController {
  constructor(private readonly config: WhisperConfig) {}

  @Get()
  list() {
    return { models: [...WHISPER_MODELS], default: this.config.current().default_model };
  }
}
