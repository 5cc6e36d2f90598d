import { Injectable } from '@nestjs/common';
import type { HealthStatus, UsageMetrics } from '@livetranslate/contracts';
import {
  MonitoringStore,
  type Alert,
  type ServiceHealthState,
  type StreamsSnapshot,
} from '@livetranslate/session-store';

/** Worst first: the overall status is the worst of the services'. */
const SEVERITY: readonly HealthStatus[] = ['unhealthy', 'recovering', 'degraded', 'healthy'];

export interface SystemHealth {
  status: HealthStatus | 'unknown';
  /** When the monitoring-worker last ran a round; null when none has. */
  checked_at: string | null;
  services: Array<{
    service: string;
    status: HealthStatus;
    latency_ms: number;
    last_check: string;
    since: string;
    streak: number;
    last_outcome: 'success' | 'failure';
    error: string | null;
    replicas?: unknown;
  }>;
}

/** What the monitoring-worker keeps, shaped for /api/system. */
@Injectable()
export class SystemService {
  constructor(private readonly store: MonitoringStore) {}

  async health(): Promise<SystemHealth> {
    const [states, checkedAt] = await Promise.all([this.store.healthStates(), this.store.lastRound()]);
    return {
      status: overall(states),
      checked_at: checkedAt,
      services: states.map((s) => ({
        service: s.service,
        status: s.status,
        latency_ms: s.latency_ms,
        last_check: s.checked_at,
        since: s.since,
        streak: s.streak,
        last_outcome: s.last_outcome,
        error: s.error,
        ...(s.details?.replicas ? { replicas: s.details.replicas } : {}),
      })),
    };
  }

  async streams(): Promise<StreamsSnapshot> {
    return (await this.store.streams()) ?? { checked_at: '', streams: [] };
  }

  async alerts(limit: number): Promise<{ active: Alert[]; recent: Alert[] }> {
    const [active, recent] = await Promise.all([this.store.activeAlerts(), this.store.recentAlerts(limit)]);
    return { active, recent };
  }

  async usage(limit: number, tenantId?: string): Promise<{ reports: UsageMetrics[] }> {
    return { reports: await this.store.usageReports({ limit, ...(tenantId ? { tenantId } : {}) }) };
  }
}

function overall(states: readonly ServiceHealthState[]): SystemHealth['status'] {
  if (states.length === 0) return 'unknown';
  return SEVERITY.find((status) => states.some((s) => s.status === status)) ?? 'healthy';
}
