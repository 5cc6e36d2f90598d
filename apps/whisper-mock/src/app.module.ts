import { Module, type DynamicModule } from '@nestjs/common';
import { MockServiceModule } from '@livetranslate/service-kit';
import type { WhisperMockEnv } from './config/env.js';
import { ServiceHealthController } from './health/service-health.controller.js';
import { ModelsController } from './models/models.controller.js';
import { OpenAiModelsController } from './models/openai-models.controller.js';
import { ConfigController } from './service-config/config.controller.js';
import { WhisperConfig } from './service-config/whisper-config.js';
import { TranscriptionController } from './transcription/transcription.controller.js';
import { TranscriptionService } from './transcription/transcription.service.js';

@Module({})
export class AppModule {
  static forRoot(env: WhisperMockEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [MockServiceModule.forRoot(env)],
      controllers: [
        TranscriptionController,
        ModelsController,
        OpenAiModelsController,
        ConfigController,
        ServiceHealthController,
      ],
      providers: [WhisperConfig, TranscriptionService],
    };
  }
}
