import { Module, type DynamicModule } from '@nestjs/common';
import {
  FaultInjectionModule,
  HealthModule,
  MetricsModule,
  MockRequestsController,
} from '@livetranslate/service-kit';
import type { TranslationMockEnv } from './config/env.js';
import { ServiceHealthController } from './health/service-health.controller.js';
import { LanguagesController } from './languages/languages.controller.js';
import { ConfigController } from './service-config/config.controller.js';
import { TranslationConfig } from './service-config/translation-config.js';
import { TranslationController } from './translation/translation.controller.js';
import { TranslationService } from './translation/translation.service.js';

@Module({})
export class AppModule {
  static forRoot(env: TranslationMockEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        MetricsModule,
        FaultInjectionModule.forRoot({ latencyMs: env.MOCK_LATENCY_MS, failureRate: env.MOCK_FAILURE_RATE }),
      ],
      controllers: [
        TranslationController,
        LanguagesController,
        ConfigController,
        ServiceHealthController,
        MockRequestsController,
      ],
      providers: [TranslationConfig, TranslationService],
    };
  }
}
