import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvNumber, PipelineEnv } from '@livetranslate/service-kit';

export class MonitoringEnv extends PipelineEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.monitoringWorker;

  /** One round of checks per interval, however many replicas run (a BullMQ job scheduler). */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_INTERVAL_MS = 10_000;

  /** How long one probe (a /readyz, a model service's health) may take before it counts as failed. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_CHECK_TIMEOUT_MS = 10_000;

  /** Consecutive failed checks that make a service unhealthy. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_FAILURES_TO_UNHEALTHY = 3;

  /** Consecutive successes that move an unhealthy service to recovering, and to healthy. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_SUCCESSES_TO_RECOVERING = 2;

  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_SUCCESSES_TO_HEALTHY = 4;

  /** A healthy service answering slower than this is degraded. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_DEGRADED_LATENCY_MS = 5_000;

  /** A ServiceHealthReport is published on every change, and at least this often per service. */
  @EnvNumber()
  @IsInt()
  @Min(1_000)
  MONITOR_REPORT_EVERY_MS = 60_000;

  /** A replica whose registry heartbeat is older than this counts as down; past the second, it is forgotten. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_INSTANCE_STALE_MS = 30_000;

  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_INSTANCE_FORGET_MS = 300_000;

  /** Rounds in a row a group's lag must grow before it is an anomaly (cleared when the lag is back to 0). */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_LAG_GROWTH_ROUNDS = 3;

  /** Rounds without new dead letters that clear a dead-letter anomaly. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MONITOR_DLQ_QUIET_ROUNDS = 3;

  /** A consumer holding pending entries that has not acknowledged anything for this long is stuck. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_STUCK_CONSUMER_MS = 120_000;

  /** An active or leaving bot whose worker has not renewed its heartbeat for this long has no live owner. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_BOT_OWNER_TIMEOUT_MS = 30_000;

  /** Share of Redis `maxmemory` in use that raises an anomaly (only when maxmemory is set). */
  @EnvNumber()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  MONITOR_REDIS_MEMORY_RATIO = 0.9;

  /** Length of a usage window; one UsageMetrics per tenant per closed window. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  MONITOR_USAGE_WINDOW_MS = 60_000;
}

export const MONITORING_ENV = Symbol('MONITORING_ENV');
