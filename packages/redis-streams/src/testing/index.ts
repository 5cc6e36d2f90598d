import { Cluster } from 'ioredis';
import type { RedisClient } from '../connection.js';

/**
 * Deletes every key under `prefix` (tests clean their own namespace; a shared server is never
 * flushed). On a cluster it scans every master and deletes key by key (keys live on many slots).
 */
export async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (redis instanceof Cluster) await Promise.all(keys.map((key) => redis.del(key)));
      else if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

export * from './ports.js';
export * from './redis-server.js';
export * from './cluster-setup.js';
export * from './machine-costs.js';
