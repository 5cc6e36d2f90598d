import { Controller, Get } from '@nestjs/common';
import { WHISPER_MODELS } from './whisper-models.js';

/** OpenAI-compatible model list, which OpenAI clients use as a health check. */
@Controller('v1/models')
export class OpenAiModelsController {
  @Get()
  list() {
    return {
      object: 'list',
      data: WHISPER_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'livetranslate-mock' })),
    };
  }
}
