import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  openRedis,
  parseClusterNodes,
  type RedisClient,
  type RedisConnection,
} from '../../src/connection.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The Redis the suite runs on: the shared server, or the cluster `jest.cluster.config.js` starts
 * (TEST_REDIS_CLUSTER_NODES), so the same tests prove the transport on both.
 */
export function testConnection(env: NodeJS.ProcessEnv = process.env): RedisConnection {
  return env.TEST_REDIS_CLUSTER_NODES
    ? parseClusterNodes(env.TEST_REDIS_CLUSTER_NODES)
    : (env.REDIS_URL ?? 'redis://127.0.0.1:6379');
}

export const TEST_REDIS = testConnection();

/** A key namespace of its own for each test; cleaned by prefix, never by flushing the server. */
export function testNamespace(label: string): string {
  return `test:rs:${label}:${randomUUID().slice(0, 8)}`;
}

export function testRedis(url?: string): RedisClient {
  if (url) return new Redis(url, { maxRetriesPerRequest: 3, protocol: 2 });
  const redis = openRedis(TEST_REDIS, 'test', { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  return redis;
}

export { deleteByPrefix } from '../../src/testing/index.js';

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 15_000, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface DeadLetter {
  id: string;
  fields: Record<string, string>;
}

export async function readStream(redis: RedisClient, stream: string): Promise<DeadLetter[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
    return { id, fields };
  });
}

export async function pendingCount(redis: RedisClient, stream: string, group: string): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}
