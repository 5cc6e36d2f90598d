import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ManagedRedis, RedisStreamsModule } from '@livetranslate/redis-streams';
import {
  busRedisUrl,
  downstreamClients,
  HealthModule,
  MetricsModule,
  ReadinessChecks,
  PipelineReadiness,
  streamNamesOf,
  type DownstreamClients,
} from '@livetranslate/service-kit';
import { RedisAudioStorage, SessionEventLog } from '@livetranslate/session-store';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeys } from './auth/api-keys.js';
import { AudioController } from './audio/audio.controller.js';
import { AudioIngest } from './audio/audio-ingest.service.js';
import { AUDIO_STORAGE, DOWNSTREAM } from './audio/tokens.js';
import { UploadService } from './audio/upload.service.js';
import { GATEWAY_ENV, type GatewayEnv } from './config/env.js';
import { SessionEventsController } from './delivery/session-events.controller.js';
import { SessionLogFanout } from './delivery/session-log-fanout.js';
import { TranscriptService } from './delivery/transcript.service.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { SessionSocketServer } from './realtime/session-socket.server.js';
import { LiveInputs } from './sessions/live-inputs.js';
import { SessionRepository } from './sessions/session.repository.js';
import { SessionService } from './sessions/session.service.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { TranslateController } from './translate/translate.controller.js';

@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        MetricsModule,
        RedisStreamsModule.forRoot({
          connection: busRedisUrl(env),
          source: 'api-gateway',
          streams: streamNamesOf(env),
        }),
      ],
      controllers: [SessionsController, AudioController, SessionEventsController, TranslateController],
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: DOWNSTREAM, useValue: downstreamClients(env) },
        { provide: ManagedRedis, useFactory: () => new ManagedRedis(busRedisUrl(env), 'api-gateway') },
        {
          provide: AUDIO_STORAGE,
          useFactory: (c: ManagedRedis) => new RedisAudioStorage(c.redis, env.REDIS_KEY_PREFIX),
          inject: [ManagedRedis],
        },
        {
          provide: SessionEventLog,
          useFactory: (c: ManagedRedis) =>
            new SessionEventLog(c.redis, env.REDIS_KEY_PREFIX, env.SESSION_TTL_SECONDS),
          inject: [ManagedRedis],
        },
        {
          provide: PipelineReadiness,
          useFactory: (checks: ReadinessChecks, c: ManagedRedis, models: DownstreamClients) =>
            new PipelineReadiness(checks, c.redis, models),
          inject: [ReadinessChecks, ManagedRedis, DOWNSTREAM],
        },
        ApiKeys,
        GatewayMetrics,
        SessionRepository,
        SessionService,
        LiveInputs,
        AudioIngest,
        UploadService,
        SessionLogFanout,
        TranscriptService,
        SessionSocketServer,
      ],
    };
  }
}
