import { Module, type DynamicModule } from '@nestjs/common';
import { AppEnvModule, downstreamClients, PlatformModule } from '@livetranslate/service-kit';
import { CONFIG_SYNC_ENV, type ConfigSyncEnv } from './config/env.js';
import { SyncModule } from './sync/sync.module.js';

@Module({})
export class AppModule {
  static forRoot(env: ConfigSyncEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppEnvModule.forRoot(CONFIG_SYNC_ENV, env),
        PlatformModule.forRoot({ app: 'config-sync-worker', env, models: downstreamClients(env) }),
        SyncModule,
      ],
    };
  }
}
