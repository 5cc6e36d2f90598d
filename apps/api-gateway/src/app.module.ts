import { Module, type DynamicModule } from '@nestjs/common';
import { IngestModule } from '@livetranslate/ingest';
import {
  AppEnvModule,
  downstreamClients,
  ingestSettingsOf,
  PlatformModule,
} from '@livetranslate/service-kit';
import { AudioModule } from './audio/audio.module.js';
import type { ApiKeyEntry } from './auth/api-key-entries.js';
import { AuthModule } from './auth/auth.module.js';
import { BotsModule } from './bots/bots.module.js';
import { ConfigurationModule } from './configuration/configuration.module.js';
import { GATEWAY_ENV, type GatewayEnv } from './config/env.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { LanguagesModule } from './languages/languages.module.js';
import { OpenAiModule } from './openai/openai.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { SystemModule } from './system/system.module.js';
import { TranslateModule } from './translate/translate.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** Wires the platform, then imports one module per feature; features own their edges and logic. */
@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv, keys: readonly ApiKeyEntry[]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppEnvModule.forRoot(GATEWAY_ENV, env),
        PlatformModule.forRoot({
          app: 'api-gateway',
          env,
          models: downstreamClients(env),
          modelsInReadiness: false,
        }),
        IngestModule.forRoot(ingestSettingsOf(env)),
        AuthModule.forRoot(keys),
        LanguagesModule,
        WebhooksModule,
        SessionsModule,
        AudioModule,
        OpenAiModule,
        DeliveryModule,
        RealtimeModule,
        TranslateModule,
        BotsModule,
        ConfigurationModule,
        SystemModule,
      ],
    };
  }
}
