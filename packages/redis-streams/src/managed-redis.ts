import type { OnApplicationShutdown } from '@nestjs/common';
import type { RedisClient } from './connection.js';
import { closeRedis, openRedis, type RedisConnection } from './connection.js';

/**
 * An app's own command connection (beside the transport's), closed with the app. Provide it with a
 * factory: `{ provide: ManagedRedis, useFactory: () => new ManagedRedis(url, 'api-gateway') }`.
 */
export class ManagedRedis implements OnApplicationShutdown {
  readonly redis: RedisClient;

  constructor(
    private readonly connection: RedisConnection,
    name: string,
  ) {
    this.redis = this.open(name);
  }

  /** Another connection to the same Redis, e.g. for blocking reads; the caller closes it. */
  open(name: string): RedisClient {
    const redis = openRedis(this.connection, name, { enableAutoPipelining: true });
    redis.on('error', () => undefined); // commands report failures; ioredis reconnects
    return redis;
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
