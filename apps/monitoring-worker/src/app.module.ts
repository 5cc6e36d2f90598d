import { Module, type DynamicModule } from '@nestjs/common';
import { IngestModule } from '@livetranslate/ingest';
import { AppEnvModule, ingestSettingsOf, PlatformModule } from '@livetranslate/service-kit';
import { MONITORING_ENV, type MonitoringEnv } from './config/env.js';
import { MonitoringModule } from './round/monitoring.module.js';

@Module({})
export class AppModule {
  static forRoot(env: MonitoringEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppEnvModule.forRoot(MONITORING_ENV, env),
        // No model clients here: their failure is what this app reports, not a reason to be unready.
        PlatformModule.forRoot({ app: 'monitoring-worker', env }),
        // Session records: usage resolves a result's tenant from its session.
        IngestModule.forRoot(ingestSettingsOf(env)),
        MonitoringModule,
      ],
    };
  }
}
