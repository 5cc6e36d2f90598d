import { Module, type DynamicModule } from '@nestjs/common';
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
import { WORKER_ENV, type WorkerEnv } from './config/env.js';
import { ChunkHandler } from './chunks/chunk.handler.js';
import { ChunkPipeline } from './chunks/chunk-pipeline.service.js';
import { AUDIO_STORAGE, DOWNSTREAM } from './chunks/tokens.js';
import { PipelineMetrics } from './metrics/pipeline-metrics.js';
import { ResultWriter } from './results/result-writer.js';

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
        {
          provide: ManagedRedis,
          useFactory: () => new ManagedRedis(busRedisUrl(env), 'audio-pipeline-worker'),
        },
        { provide: DOWNSTREAM, useValue: downstreamClients(env) },
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
        ResultWriter,
        ChunkPipeline,
        PipelineMetrics,
      ],
    };
  }
}
