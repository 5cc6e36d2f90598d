import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, openRedis } from '@livetranslate/redis-streams';
import { busRedisUrl } from '@livetranslate/service-kit';
import type { Redis } from 'ioredis';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';

/** The worker's command connection (session logs, audio); the transport opens its own. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(WORKER_ENV) env: WorkerEnv) {
    this.redis = openRedis(busRedisUrl(env), 'audio-pipeline-worker', { enableAutoPipelining: true });
    this.redis.on('error', () => undefined); // commands report failures; ioredis reconnects
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
