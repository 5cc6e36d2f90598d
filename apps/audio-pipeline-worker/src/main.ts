import 'reflect-metadata';
import { CONSUMER_GROUPS } from '@livetranslate/contracts';
import { ingestStreamsOf, loadEnvOrExit, startConsumerApp } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { WorkerEnv } from './config/env.js';

const env = loadEnvOrExit(WorkerEnv);

// HTTP serves /healthz, /readyz and /metrics only; the work arrives over the event bus.
await startConsumerApp('audio-pipeline-worker', AppModule.forRoot(env), env, {
  // Drafts share the worker's capacity but only their stream's share of it (and are shed first).
  streams: [...ingestStreamsOf(env), env.EVENT_STREAM_AUDIO_DRAFTS],
  group: CONSUMER_GROUPS.audioPipeline,
  maxInFlight: env.WORKER_MAX_IN_FLIGHT,
  batchSize: env.WORKER_MAX_IN_FLIGHT,
  maxDeliveries: env.WORKER_MAX_DELIVERIES,
  reclaimIdleMs: env.WORKER_RECLAIM_IDLE_MS,
  reclaimIntervalMs: Math.max(100, Math.floor(env.WORKER_RECLAIM_IDLE_MS / 4)),
  shutdownGraceMs: env.WORKER_SHUTDOWN_GRACE_MS,
  requiredEvents: ['AudioChunkReceived'],
});
