import { Module, type DynamicModule } from '@nestjs/common';
import { AppEnvModule, downstreamClients, PlatformModule } from '@livetranslate/service-kit';
import { ChunksModule } from './chunks/chunks.module.js';
import { WORKER_ENV, type WorkerEnv } from './config/env.js';
import { DraftsModule } from './drafts/drafts.module.js';
import { RepairModule } from './repair/repair.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppEnvModule.forRoot(WORKER_ENV, env),
        PlatformModule.forRoot({ app: 'audio-pipeline-worker', env, models: downstreamClients(env) }),
        ChunksModule,
        DraftsModule,
        WebhooksModule,
        RepairModule,
      ],
    };
  }
}
