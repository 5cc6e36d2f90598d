import type { INestApplication, INestMicroservice } from '@nestjs/common';
import {
  ManagedRedis,
  RedisStreamsServer,
  resolveConsumerName,
  type RedisStreamsServerOptions,
} from '@livetranslate/redis-streams';
import { busKeyPrefixOf, busRedisConnection, type BusEnv } from '../env/platform-env.js';
import { waitFor } from '../health/wait-for.js';
import { createHttpApp } from '../http/create-http-app.js';
import { startTracing } from '../tracing/tracing.js';
import { BusMetrics } from '../metrics/bus-metrics.js';

type ConsumerApp = INestApplication & {
  connectMicroservice<T extends object>(options: T): INestMicroservice;
  startAllMicroservices(): Promise<unknown>;
};

export type ConsumerOptions = Omit<RedisStreamsServerOptions, 'connection' | 'consumer' | 'metrics'>;

/**
 * Connects the Redis Streams transport to an app: the bus's Redis, the group the app's role names,
 * and the pod's stable consumer name. Call in `createHttpApp`'s `configure`; start it with
 * `startConsumingWhenReady` in `afterListen`.
 */
export function connectStreamConsumer(app: ConsumerApp, env: BusEnv, options: ConsumerOptions): void {
  app.connectMicroservice({
    strategy: new RedisStreamsServer({
      ...options,
      connection: busRedisConnection(env),
      consumer: resolveConsumerName(),
      // The transport's own keys (idempotency markers, last errors) live under the app's prefix too,
      // so a deployment (or a test) sharing a Redis keeps them apart.
      keyPrefix: busKeyPrefixOf(env),
      metrics: app.get(BusMetrics),
    }),
  });
}

/** Starts consuming once Redis answers, so a cold start does not spin on errors. */
export async function startConsumingWhenReady(app: ConsumerApp): Promise<void> {
  await waitFor('redis', () => app.get(ManagedRedis).redis.ping());
  await app.startAllMicroservices();
}

/**
 * Boots a worker: HTTP for /healthz, /readyz and /metrics only, the Redis Streams consumer connected
 * to it, consuming once Redis answers, traces flushed after a clean shutdown.
 */
export async function startConsumerApp(
  name: string,
  module: unknown,
  env: BusEnv,
  consumer: ConsumerOptions,
): Promise<void> {
  const stopTracing = startTracing(name);
  await createHttpApp(module, env, {
    name,
    afterClose: stopTracing,
    configure: (app) => connectStreamConsumer(app, env, consumer),
    afterListen: startConsumingWhenReady,
  });
}
