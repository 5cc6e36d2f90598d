import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { RedisStreamsModule, StreamEventPublisher } from '@livetranslate/redis-streams';
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
import { WORKER_ENV, type WorkerEnv } from './config/env.js';
import { ChunkHandler } from './chunks/chunk.handler.js';
import { ChunkPipeline } from './chunks/chunk-pipeline.service.js';
import { AUDIO_STORAGE, DOWNSTREAM } from './chunks/tokens.js';
import { PipelineMetrics } from './metrics/pipeline-metrics.js';
import { RedisConnection } from './redis/redis.providers.js';
import { ResultWriter } from './results/result-writer.js';

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
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        MetricsModule,
        RedisStreamsModule.forRoot({
          connection: busRedisUrl(env),
          source: 'audio-pipeline-worker',
          streams: streamNamesOf(env),
        }),
      ],
      controllers: [ChunkHandler],
      providers: [
        { provide: WORKER_ENV, useValue: env },
        RedisConnection,
        { provide: DOWNSTREAM, useValue: downstreamClients(env) },
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
        ResultWriter,
        ChunkPipeline,
        PipelineMetrics,
      ],
    };
  }
}

export { StreamEventPublisher };
