import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, openRedis } from '@livetranslate/redis-streams';
import { busRedisUrl } from '@livetranslate/service-kit';
import type { Redis } from 'ioredis';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/** The gateway's command connection; blocking reads of session logs use their own (see SessionLogFanout). */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(GATEWAY_ENV) private readonly env: GatewayEnv) {
    this.redis = this.open('api-gateway');
  }

  /** Another connection to the same Redis (for blocking commands). */
  open(name: string): Redis {
    const redis = openRedis(busRedisUrl(this.env), name, { enableAutoPipelining: true });
    redis.on('error', () => undefined); // commands report failures; ioredis reconnects
    return redis;
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
