import { IsIn, IsISO8601, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Min } from 'class-validator';

export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const ANOMALY_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AnomalySeverity = (typeof ANOMALY_SEVERITIES)[number];

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
}
