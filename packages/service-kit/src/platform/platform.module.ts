import { ModelCircuitMetrics } from '../metrics/circuit-metrics.js';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ManagedRedis, RedisStreamsModule, StreamEventPublisher } from '@livetranslate/redis-streams';
import {
  BotStore,
  ConfigStore,
  MonitoringStore,
  RedisAudioStorage,
  SessionCompletion,
  SessionEventLog,
  SessionResults,
  WebhookLog,
} from '@livetranslate/session-store';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { resolveConsumerName } from '@livetranslate/redis-streams';
import { ConfigChanges } from '../config/config-changes.js';
import { ConfigFollower } from '../config/config-follower.js';
import { seedConfigOf } from '../config/seed-config.js';
import type { DownstreamClients } from '../env/downstream-clients.js';
import { busRedisConnection, streamMaxAgesOf, streamNamesOf, type BusEnv } from '../env/platform-env.js';
import { HealthModule } from '../health/health.module.js';
import { ReadinessChecks } from '../health/readiness.js';
import { BusMetrics } from '../metrics/bus-metrics.js';
import { MetricsModule, MetricsRegistry } from '../metrics/metrics.js';
import { ServiceRegistration } from '../monitoring/service-registration.js';
import { JobQueues } from '../queues/job-queues.js';
import { PlatformReadiness } from './platform-readiness.js';
import { AUDIO_STORAGE, DOWNSTREAM } from './tokens.js';

export interface PlatformModuleOptions {
  /** The app's name: the envelope's `source` and the Redis connection names. */
  app: string;
  env: BusEnv;
  /** The model services this app calls. */
  models?: DownstreamClients;
  /**
   * Whether /readyz checks the model services too (default true). The gateway says no: it serves
   * sessions, delivery and configuration without them, and their state is on /api/system/health.
   */
  modelsInReadiness?: boolean;
}

/**
 * The wiring every app on the bus shares, in one place: /healthz, /readyz and /metrics, the event
 * publisher and the bus's counters, the app's own Redis connection, the session store (chunk audio,
 * event logs and their result writers, bots), BullMQ queues, this replica's entry in the service registry, and the model-service clients when the app calls them. Global: features inject
 * what they use.
 */
@Module({})
export class PlatformModule {
  static forRoot({ app, env, models, modelsInReadiness = true }: PlatformModuleOptions): DynamicModule {
    const redis = busRedisConnection(env);
    // Every publisher of the app writes the same envelopes to the same streams.
    const publishing = { source: app, streams: streamNamesOf(env), maxAgeMs: streamMaxAgesOf(env) };
    // Host (pod) and port: unique per replica, also for several on one machine.
    const instance = `${resolveConsumerName()}:${env.PORT}`;
    const providers: Provider[] = [
      { provide: ManagedRedis, useFactory: () => new ManagedRedis(redis, app) },
      {
        provide: AUDIO_STORAGE,
        useFactory: (c: ManagedRedis) => new RedisAudioStorage(c.redis, env.REDIS_KEY_PREFIX),
        inject: [ManagedRedis],
      },
      {
        provide: SessionEventLog,
        useFactory: (c: ManagedRedis) =>
          new SessionEventLog(
            c.redis,
            env.REDIS_KEY_PREFIX,
            env.SESSION_TTL_SECONDS,
            env.AUDIO_INGEST_PARTITIONS,
          ),
        inject: [ManagedRedis],
      },
      {
        provide: WebhookLog,
        useFactory: (c: ManagedRedis) =>
          new WebhookLog(c.redis, env.REDIS_KEY_PREFIX, env.SESSION_TTL_SECONDS),
        inject: [ManagedRedis],
      },
      {
        provide: WebhookOutbox,
        useFactory: (c: ManagedRedis, jobs: JobQueues, log: WebhookLog) =>
          new WebhookOutbox(c.redis, jobs, log, {
            prefix: env.REDIS_KEY_PREFIX,
            maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
            backoffMs: env.WEBHOOK_BACKOFF_MS,
          }),
        inject: [ManagedRedis, JobQueues, WebhookLog],
      },
      {
        provide: SessionResults,
        // Results publish on the session log's own connection: a result's log append and its
        // results-stream entry, sent together, leave in one write and answer in one read.
        useFactory: (c: ManagedRedis, log: SessionEventLog, outbox: WebhookOutbox) =>
          new SessionResults(
            log,
            new StreamEventPublisher({ connection: c.redis, ...publishing }),
            app,
            (sessionId, envelope) => outbox.offer(sessionId, envelope),
          ),
        inject: [ManagedRedis, SessionEventLog, WebhookOutbox],
      },
      {
        provide: SessionCompletion,
        useFactory: (c: ManagedRedis, results: SessionResults) =>
          new SessionCompletion(c.redis, env.REDIS_KEY_PREFIX, results),
        inject: [ManagedRedis, SessionResults],
      },
      BusMetrics,
      {
        provide: BotStore,
        useFactory: (c: ManagedRedis) => new BotStore(c.redis, env.REDIS_KEY_PREFIX),
        inject: [ManagedRedis],
      },
      {
        provide: MonitoringStore,
        useFactory: (c: ManagedRedis) => new MonitoringStore(c.redis, env.REDIS_KEY_PREFIX),
        inject: [ManagedRedis],
      },
      {
        provide: ConfigStore,
        useFactory: (c: ManagedRedis) =>
          new ConfigStore(c.redis, env.REDIS_KEY_PREFIX, env.CONFIG_HISTORY_LENGTH),
        inject: [ManagedRedis],
      },
      {
        provide: ConfigFollower,
        useFactory: (
          store: ConfigStore,
          c: ManagedRedis,
          checks: ReadinessChecks,
          metrics: MetricsRegistry,
        ) =>
          new ConfigFollower(store, c, checks, metrics, {
            app,
            instance,
            stream: env.EVENT_STREAM_CONFIG,
            seed: seedConfigOf(env),
          }),
        inject: [ConfigStore, ManagedRedis, ReadinessChecks, MetricsRegistry],
      },
      ConfigChanges,
      {
        provide: JobQueues,
        useFactory: (metrics: MetricsRegistry) =>
          new JobQueues({
            connection: redis,
            keyPrefix: env.REDIS_KEY_PREFIX,
            app,
            registry: metrics.registry,
          }),
        inject: [MetricsRegistry],
      },
      {
        provide: ServiceRegistration,
        useFactory: (c: ManagedRedis, adapterHost: HttpAdapterHost) =>
          new ServiceRegistration(
            c.redis,
            {
              app,
              instance,
              url: `http://${env.ADVERTISE_HOST}:${env.PORT}`,
              keyPrefix: env.REDIS_KEY_PREFIX,
              intervalMs: env.SERVICE_HEARTBEAT_MS,
            },
            adapterHost,
          ),
        inject: [ManagedRedis, HttpAdapterHost],
      },
      {
        provide: PlatformReadiness,
        useFactory: (checks: ReadinessChecks, c: ManagedRedis) =>
          new PlatformReadiness(checks, c.redis, modelsInReadiness ? models : undefined),
        inject: [ReadinessChecks, ManagedRedis],
      },
    ];
    if (models) {
      providers.push(
        { provide: DOWNSTREAM, useValue: models },
        {
          provide: ModelCircuitMetrics,
          useFactory: (metrics: MetricsRegistry) => new ModelCircuitMetrics(metrics, models),
          inject: [MetricsRegistry],
        },
      );
    }
    return {
      module: PlatformModule,
      global: true,
      imports: [
        HealthModule,
        MetricsModule,
        RedisStreamsModule.forRoot({ connection: redis, ...publishing }),
      ],
      providers,
      exports: [
        ManagedRedis,
        AUDIO_STORAGE,
        SessionEventLog,
        SessionResults,
        SessionCompletion,
        WebhookLog,
        WebhookOutbox,
        BotStore,
        MonitoringStore,
        ConfigStore,
        ConfigFollower,
        ConfigChanges,
        BusMetrics,
        JobQueues,
        ...(models ? [DOWNSTREAM] : []),
      ],
    };
  }
}
