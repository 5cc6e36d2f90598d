import { Redis, type RedisOptions } from 'ioredis';

export type RedisConnection = string | RedisOptions;

/**
 * Opens a connection that queues commands while Redis is away and reconnects with capped backoff.
 * A deliberate `disconnect()`/`quit()` stops reconnection (ioredis does not reconnect after it).
 */
export function openRedis(connection: RedisConnection, name: string, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    ...extra,
    connectionName: name,
    // ioredis 6 speaks RESP3 by default; the transport parses RESP2 reply shapes, which every
    // Redis and managed service still offers.
    protocol: 2,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000),
  };
  return typeof connection === 'string'
    ? new Redis(connection, common)
    : new Redis({ ...common, ...connection, connectionName: name });
}

/** Quits politely, or drops the socket if Redis does not answer within `timeoutMs`. */
export async function closeRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status === 'end') return;
  const timer = setTimeout(() => redis.disconnect(), timeoutMs);
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
