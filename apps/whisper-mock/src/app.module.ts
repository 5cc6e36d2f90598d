import { Module, type DynamicModule } from '@nestjs/common';
import {
  FaultInjectionModule,
  HealthModule,
  MetricsModule,
  MockRequestsController,
} from '@livetranslate/service-kit';
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
      imports: [
        HealthModule,
        MetricsModule,
        FaultInjectionModule.forRoot({ latencyMs: env.MOCK_LATENCY_MS, failureRate: env.MOCK_FAILURE_RATE }),
      ],
      controllers: [
        TranscriptionController,
        ModelsController,
        OpenAiModelsController,
        ConfigController,
        ServiceHealthController,
        MockRequestsController,
      ],
      providers: [WhisperConfig, TranscriptionService],
    };
  }
}
