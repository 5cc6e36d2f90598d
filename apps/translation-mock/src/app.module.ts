import { Module, type DynamicModule } from '@nestjs/common';
import { MockServiceModule } from '@livetranslate/service-kit';
import type { TranslationMockEnv } from './config/env.js';
import { ServiceHealthController } from './health/service-health.controller.js';
import { LanguagesController } from './languages/languages.controller.js';
import { LibreTranslateController } from './libretranslate/libretranslate.controller.js';
import { ConfigController } from './service-config/config.controller.js';
import { TranslationConfig } from './service-config/translation-config.js';
import { TranslationController } from './translation/translation.controller.js';
import { TranslationService } from './translation/translation.service.js';

@Module({})
export class AppModule {
  static forRoot(env: TranslationMockEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [MockServiceModule.forRoot(env)],
      controllers: [
        TranslationController,
        LanguagesController,
        ConfigController,
        ServiceHealthController,
        LibreTranslateController,
      ],
      providers: [TranslationConfig, TranslationService],
    };
  }
}
