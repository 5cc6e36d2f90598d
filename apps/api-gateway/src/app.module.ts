import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RedisStreamsModule } from '@livetranslate/redis-streams';
import {
  busRedisUrl,
  downstreamClients,
  HealthModule,
  MetricsModule,
  ReadinessChecks,
  registerPipelineReadiness,
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
import { RedisConnection } from './redis/redis-connection.js';
import { LiveInputs } from './sessions/live-inputs.js';
import { SessionRepository } from './sessions/session.repository.js';
import { SessionService } from './sessions/session.service.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { TranslateController } from './translate/translate.controller.js';

/** /readyz waits for Redis and both model services. */
class Readiness implements OnModuleInit {
  constructor(
    private readonly checks: ReadinessChecks,
    private readonly connection: RedisConnection,
    private readonly models: DownstreamClients,
  ) {}

  onModuleInit(): void {
    registerPipelineReadiness(this.checks, this.connection.redis, this.models);
  }
}

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
        RedisConnection,
        {
          provide: AUDIO_STORAGE,
          useFactory: (c: RedisConnection) => new RedisAudioStorage(c.redis, env.REDIS_KEY_PREFIX),
          inject: [RedisConnection],
        },
        {
          provide: SessionEventLog,
          useFactory: (c: RedisConnection) =>
            new SessionEventLog(c.redis, env.REDIS_KEY_PREFIX, env.SESSION_TTL_SECONDS),
          inject: [RedisConnection],
        },
        {
          provide: Readiness,
          useFactory: (checks: ReadinessChecks, c: RedisConnection, models: DownstreamClients) =>
            new Readiness(checks, c, models),
          inject: [ReadinessChecks, RedisConnection, DOWNSTREAM],
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
