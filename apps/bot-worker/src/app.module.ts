import { Module, type DynamicModule } from '@nestjs/common';
import { IngestModule } from '@livetranslate/ingest';
import { AppEnvModule, ingestSettingsOf, PlatformModule } from '@livetranslate/service-kit';
import { BotsModule } from './bots/bots.module.js';
import { BOT_WORKER_ENV, type BotWorkerEnv } from './config/env.js';

@Module({})
export class AppModule {
  static forRoot(env: BotWorkerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppEnvModule.forRoot(BOT_WORKER_ENV, env),
        PlatformModule.forRoot({ app: 'bot-worker', env }),
        IngestModule.forRoot(ingestSettingsOf(env)),
        BotsModule,
      ],
    };
  }
}
