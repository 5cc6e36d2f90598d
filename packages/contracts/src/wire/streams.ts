/**
 * Stream, consumer-group and queue names.
 *
 * These are WIRE NAMES: producers and consumers in different deployables (and the original Python
 * orchestration service) must agree on them. Changing a value is a migration, not a refactor.
 */

import { sessionPartition } from './keys.js';

/** Logical stream → default Redis key, compatible with the original service. */
export const DEFAULT_STREAMS = {
  audioIngest: 'stream:audio-ingest',
  audioResults: 'stream:audio-results',
  configSync: 'stream:config-sync',
  botControl: 'stream:bot-control',
  monitoring: 'stream:monitoring',
  /** Audio of chunks still being recorded, for drafts: shed first under load, never replayed. */
  audioDrafts: 'stream:audio-drafts',
} as const;

export type StreamAlias = keyof typeof DEFAULT_STREAMS;
export type StreamNames = { readonly [K in StreamAlias]: string };

/** Logical stream → the environment variable that overrides its key (same names as the original). */
export const STREAM_ENV_VARS: { readonly [K in StreamAlias]: string } = {
  audioIngest: 'EVENT_STREAM_AUDIO',
  audioResults: 'EVENT_STREAM_AUDIO_RESULTS',
  configSync: 'EVENT_STREAM_CONFIG',
  botControl: 'EVENT_STREAM_BOT',
  monitoring: 'EVENT_STREAM_MONITORING',
  audioDrafts: 'EVENT_STREAM_AUDIO_DRAFTS',
};

/** Suffix of every dead-letter stream: `<stream>:dlq`. */
export const DEAD_LETTER_SUFFIX = ':dlq';

export function deadLetterStreamOf(stream: string): string {
  return `${stream}${DEAD_LETTER_SUFFIX}`;
}

/** Resolves every stream key from the environment, falling back to the defaults. */
export function resolveStreamNames(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StreamNames {
  const names = {} as Record<StreamAlias, string>;
  for (const alias of Object.keys(DEFAULT_STREAMS) as StreamAlias[]) {
    const override = env[STREAM_ENV_VARS[alias]]?.trim();
    names[alias] = override ? override : DEFAULT_STREAMS[alias];
  }
  return Object.freeze(names);
}

/** Consumer groups: one per app role. Renaming a group orphans its pending entries. */
export const CONSUMER_GROUPS = {
  audioPipeline: 'audio-pipeline',
  botOrchestrator: 'bot-orchestrator',
  configSync: 'config-sync',
  monitoring: 'monitoring',
} as const;

export type ConsumerGroup = (typeof CONSUMER_GROUPS)[keyof typeof CONSUMER_GROUPS];

/** BullMQ queues (work inside one service). Renaming a queue strands its waiting jobs. */
export const QUEUE_NAMES = {
  botLifecycle: 'bot-lifecycle',
  /** The config-sync-worker's scheduled read-back of the model services' settings. */
  configDriftCheck: 'config-drift-check',
  /** The monitoring-worker's scheduled round of checks (one per interval, cluster-wide). */
  monitoringRound: 'monitoring-round',
  /** Webhook deliveries (one job per event and URL), sent and retried by the audio-pipeline-worker. */
  webhooks: 'webhooks',
  /** A check, some time after a session's input ended, that every chunk it reserved was processed. */
  sessionRepair: 'session-repair',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Redis URL resolution shared by every service: the event-bus URL wins, then REDIS_URL. */
export const REDIS_URL_ENV_VARS = ['EVENT_BUS_REDIS_URL', 'REDIS_URL'] as const;
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function resolveRedisUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  for (const name of REDIS_URL_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return DEFAULT_REDIS_URL;
}

/**
 * The streams of a partitioned logical stream (the audio ingest): `<base>:{0}` … `<base>:{N-1}`,
 * each its own hash slot; with one partition, `<base>` itself, so publishers that know only the
 * single stream name (the original service's format) still reach the workers.
 */
export function partitionedStreams(base: string, partitions: number): string[] {
  if (partitions <= 1) return [base];
  return Array.from({ length: partitions }, (_, i) => `${base}:{${i}}`);
}

/** The stream of `partitionedStreams(base, partitions)` a session's events go to. */
export function partitionedStreamOf(base: string, sessionId: string, partitions: number): string {
  return partitions <= 1 ? base : `${base}:{${sessionPartition(sessionId, partitions)}}`;
}
