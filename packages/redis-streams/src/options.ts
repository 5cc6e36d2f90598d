import type { RedisConnection } from './connection.js';
import type { TransportMetrics } from './transport-metrics.js';

export interface StreamConsumerOptions {
  /** Redis URL or ioredis options. */
  connection: RedisConnection;
  /** Streams this group reads (one, or the partitions of one logical stream). */
  streams: readonly string[];
  /** Consumer group = the app's role. */
  group: string;
  /** Consumer name, stable across restarts of the same pod (see resolveConsumerName). */
  consumer: string;
  /** Id a new group starts from. `0` reads what was published before the group existed. */
  groupStartId?: string;
  /** Most entries handled at once by this consumer. */
  maxInFlight?: number;
  /** Most entries asked for per XREADGROUP. */
  batchSize?: number;
  /** How long one XREADGROUP blocks waiting for entries. */
  blockMs?: number;
  /** An entry pending this long on any consumer is taken over (XAUTOCLAIM). */
  reclaimIdleMs?: number;
  /** How often to look for entries to take over. */
  reclaimIntervalMs?: number;
  /** Deliveries after which a failing entry goes to the dead-letter stream. */
  maxDeliveries?: number;
  /**
   * Per-event markers in Redis (claimed by the first entry carrying the event, done once that entry
   * is acked), so a redelivered or republished event id runs its handler once. Costs one marker
   * write per event (see the bus bench); turn off only where every handler is idempotent on its
   * own, as the design asks of handlers anyway: redeliveries then run the handler again.
   */
  idempotencyMarkers?: boolean;
  /** How long a marker is kept, so redeliveries of a done event are acked without rerun. */
  idempotencyTtlSeconds?: number;
  /** On close, how long in-flight handlers get to finish before the connection is dropped. */
  shutdownGraceMs?: number;
  /** How often to trim the streams to what every group has finished; 0 turns trimming off. */
  trimIntervalMs?: number;
  /** Entries younger than this are never trimmed, handled or not. */
  trimMinAgeMs?: number;
  /** Prefix of the transport's own keys (markers, last errors). */
  keyPrefix?: string;
  metrics?: TransportMetrics;
}

export type ResolvedStreamConsumerOptions = Required<Omit<StreamConsumerOptions, 'metrics'>> &
  Pick<StreamConsumerOptions, 'metrics'>;

export const STREAM_CONSUMER_DEFAULTS = {
  groupStartId: '0',
  maxInFlight: 32,
  batchSize: 32,
  blockMs: 2_000,
  reclaimIdleMs: 30_000,
  reclaimIntervalMs: 5_000,
  maxDeliveries: 5,
  idempotencyMarkers: true,
  idempotencyTtlSeconds: 86_400,
  shutdownGraceMs: 10_000,
  trimIntervalMs: 60_000,
  trimMinAgeMs: 3_600_000,
  keyPrefix: 'lt:bus',
} as const;

export function resolveConsumerOptions(options: StreamConsumerOptions): ResolvedStreamConsumerOptions {
  const resolved = {
    ...STREAM_CONSUMER_DEFAULTS,
    ...stripUndefined(options),
  } as ResolvedStreamConsumerOptions;
  if (resolved.streams.length === 0) throw new Error('redis-streams: at least one stream is required');
  if (!resolved.group) throw new Error('redis-streams: group is required');
  if (!resolved.consumer) throw new Error('redis-streams: consumer name is required');
  for (const key of ['maxInFlight', 'batchSize', 'maxDeliveries'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new Error(`redis-streams: ${key} must be a positive integer`);
    }
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
