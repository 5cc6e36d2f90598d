import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Min,
} from 'class-validator';

/** `recovering`: was unhealthy and has answered again, not yet long enough to be trusted. */
export const HEALTH_STATUSES = ['healthy', 'degraded', 'recovering', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const ANOMALY_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AnomalySeverity = (typeof ANOMALY_SEVERITIES)[number];

/** An anomaly is raised (`active`) and later cleared by an event of the same `anomaly_id` (`resolved`). */
export const ANOMALY_STATES = ['active', 'resolved'] as const;
export type AnomalyState = (typeof ANOMALY_STATES)[number];

/** The anomaly kinds the monitoring-worker raises (a consumer accepts others too). */
export const ANOMALY_KINDS = {
  serviceDown: 'service_down',
  streamLag: 'stream_lag',
  deadLetters: 'dead_letters',
  redisMemory: 'redis_memory',
  botOrphaned: 'bot_orphaned',
  consumerStuck: 'consumer_stuck',
  streamTruncated: 'stream_truncated',
} as const;

export class ServiceHealthReport {
  @IsString()
  @IsNotEmpty()
  service!: string;

  @IsIn(HEALTH_STATUSES)
  status!: HealthStatus;

  @IsNumber()
  @Min(0)
  latency_ms!: number;

  @IsISO8601()
  checked_at!: string;

  /** The status before this report (absent on a service's first report and from v1 producers). */
  @IsOptional()
  @IsIn(HEALTH_STATUSES)
  previous_status?: HealthStatus;

  /** Consecutive checks with the last outcome (successes, or failures when the last one failed). */
  @IsOptional()
  @IsInt()
  @Min(0)
  streak?: number;

  /** Why the last check failed. */
  @IsOptional()
  @IsString()
  error?: string;

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

export class AnomalyDetected {
  /** What kind of anomaly, e.g. `stream_lag`, `dead_letters`, `bot_stuck`. */
  @IsString()
  @IsNotEmpty()
  kind!: string;

  @IsIn(ANOMALY_SEVERITIES)
  severity!: AnomalySeverity;

  /** What it is about: a service, a stream, a bot id. */
  @IsString()
  @IsNotEmpty()
  subject!: string;

  @IsString()
  message!: string;

  @IsOptional()
  @IsNumber()
  value?: number;

  @IsOptional()
  @IsNumber()
  threshold?: number;

  /** Stable per condition (`<kind>:<subject>`): the resolving event carries the same id. Absent from v1 producers. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  anomaly_id?: string;

  /** Absent means `active` (v1 producers only raise). */
  @IsOptional()
  @IsIn(ANOMALY_STATES)
  state?: AnomalyState;

  /** When the condition was first seen. */
  @IsOptional()
  @IsISO8601()
  since?: string;
}

export class UsageMetrics {
  @IsISO8601()
  window_start!: string;

  @IsISO8601()
  window_end!: string;

  @IsOptional()
  @IsString()
  tenant_id?: string;

  @IsNumber()
  @Min(0)
  chunks_processed!: number;

  @IsNumber()
  @Min(0)
  audio_seconds!: number;

  @IsNumber()
  @Min(0)
  translations!: number;

  @IsNumber()
  @Min(0)
  failures!: number;

  /** Sessions that sent audio in the window. */
  @IsOptional()
  @IsInt()
  @Min(0)
  sessions?: number;

  /** Chunks received in the window (processed ones are `chunks_processed`). */
  @IsOptional()
  @IsInt()
  @Min(0)
  chunks_received?: number;

  /** The tenant's bots by status at the window's end. */
  @IsOptional()
  @IsObject()
  bots?: Record<string, number>;
}
