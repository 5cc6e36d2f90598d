import type { HealthStatus } from '@livetranslate/contracts';
import type { ServiceHealthState } from '@livetranslate/session-store';

export interface HealthThresholds {
  failuresToUnhealthy: number;
  successesToRecovering: number;
  successesToHealthy: number;
  degradedLatencyMs: number;
}

export type CheckOutcome =
  | { ok: true; latencyMs: number; details?: Record<string, unknown> }
  | {
      ok: false;
      latencyMs: number;
      error: string;
      details?: Record<string, unknown>;
    };

/**
 * One check applied to a service's state, with the original system's hysteresis: a few failures in a
 * row before `unhealthy`, and while unhealthy a few successes before `recovering`, more before
 * `healthy`, so one lucky or unlucky probe never flips a status. A service seen for the first time
 * starts healthy; a healthy one answering slowly is `degraded`.
 */
export function nextHealth(
  previous: ServiceHealthState | undefined,
  service: string,
  outcome: CheckOutcome,
  t: HealthThresholds,
  now: Date,
): ServiceHealthState {
  const result = outcome.ok ? 'success' : 'failure';
  const streak = previous && previous.last_outcome === result ? previous.streak + 1 : 1;
  const current: HealthStatus = previous?.status ?? 'healthy';
  const answered: HealthStatus = outcome.latencyMs > t.degradedLatencyMs ? 'degraded' : 'healthy';
  let status: HealthStatus;
  if (outcome.ok) {
    if (current === 'unhealthy' || current === 'recovering') {
      status =
        streak >= t.successesToHealthy
          ? answered
          : streak >= t.successesToRecovering
            ? 'recovering'
            : current;
    } else {
      status = answered;
    }
  } else if (streak >= t.failuresToUnhealthy || current === 'recovering') {
    // A recovery that fails again was not one.
    status = 'unhealthy';
  } else {
    status = current;
  }
  const checkedAt = now.toISOString();
  const changed = !previous || previous.status !== status;
  return {
    service,
    status,
    previous_status: changed ? (previous?.status ?? null) : previous.previous_status,
    streak,
    last_outcome: result,
    latency_ms: Math.round(outcome.latencyMs),
    checked_at: checkedAt,
    since: changed ? checkedAt : previous.since,
    error: outcome.ok ? null : outcome.error,
    reported_at: previous?.reported_at ?? null,
    ...(outcome.details ? { details: outcome.details } : {}),
  };
}
