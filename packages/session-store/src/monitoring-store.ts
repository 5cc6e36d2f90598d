import {
  monitoringKeys,
  type AnomalyDetected,
  type HealthStatus,
  type UsageMetrics,
} from '@livetranslate/contracts';
import type { RedisClient } from '@livetranslate/redis-streams';

/** Where one service stands, as the monitoring-worker tracks it between rounds. */
export interface ServiceHealthState {
  service: string;
  status: HealthStatus;
  previous_status: HealthStatus | null;
  /** Consecutive checks with `last_outcome`. */
  streak: number;
  last_outcome: 'success' | 'failure';
  latency_ms: number;
  checked_at: string;
  /** When `status` last changed. */
  since: string;
  error: string | null;
  /** When a ServiceHealthReport was last published for it. */
  reported_at: string | null;
  details?: Record<string, unknown>;
}

export interface ConsumerFigures {
  name: string;
  pending: number;
  idle_ms: number;
  /** Since this consumer last acknowledged (or started); null when the transport never recorded it. */
  last_ack_age_ms: number | null;
}

export interface GroupFigures {
  group: string;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after deletions). */
  lag: number | null;
  pending: number;
  /** Entries the group has read so far (Redis's count; null when it cannot tell). */
  entries_read: number | null;
  /**
   * Entries removed from the stream (trimmed) before this group read them: lost to it. Seen when a
   * publisher trims a shared stream by length (e.g. `MAXLEN ~1000`) past a slow group.
   */
  trimmed_unread: number;
  /** Age of the oldest pending entry, from its id's time (the lease heartbeat does not reset it). */
  oldest_pending_age_ms: number | null;
  consumers: ConsumerFigures[];
}

export interface StreamFigures {
  stream: string;
  length: number;
  /** Entries ever added (Redis counts across trims). */
  entries_added: number;
  dlq_depth: number;
  groups: GroupFigures[];
}

export interface StreamsSnapshot {
  checked_at: string;
  streams: StreamFigures[];
}

/** An alert as kept: the anomaly event's payload with when it was raised and, once cleared, resolved. */
export type Alert = AnomalyDetected & {
  anomaly_id: string;
  state: 'active' | 'resolved';
  since: string;
  resolved_at?: string;
};

const RECENT_ALERTS = 100;
const USAGE_REPORTS = 1_000;

/**
 * The monitoring-worker's state in Redis: per-service health, the last round's stream figures,
 * active and recent alerts, round-to-round memory and usage. The monitoring-worker writes it; the
 * gateway's /api/system endpoints read it.
 */
export class MonitoringStore {
  private readonly keys: ReturnType<typeof monitoringKeys>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = monitoringKeys(prefix);
  }

  async healthStates(): Promise<ServiceHealthState[]> {
    return parseValues<ServiceHealthState>(await this.redis.hgetall(this.keys.health)).sort((a, b) =>
      a.service.localeCompare(b.service),
    );
  }

  async saveHealth(states: readonly ServiceHealthState[], forget: readonly string[] = []): Promise<void> {
    const pipeline = this.redis.multi();
    for (const state of states) pipeline.hset(this.keys.health, state.service, JSON.stringify(state));
    if (forget.length) pipeline.hdel(this.keys.health, ...forget);
    await pipeline.exec();
  }

  async streams(): Promise<StreamsSnapshot | null> {
    const raw = await this.redis.get(this.keys.streams);
    return raw ? (JSON.parse(raw) as StreamsSnapshot) : null;
  }

  async saveStreams(snapshot: StreamsSnapshot): Promise<void> {
    await this.redis.set(this.keys.streams, JSON.stringify(snapshot));
  }

  async activeAlerts(): Promise<Alert[]> {
    return parseValues<Alert>(await this.redis.hgetall(this.keys.activeAlerts)).sort((a, b) =>
      a.since.localeCompare(b.since),
    );
  }

  /** Newest first. */
  async recentAlerts(limit = RECENT_ALERTS): Promise<Alert[]> {
    const raw = await this.redis.lrange(this.keys.recentAlerts, 0, limit - 1);
    return raw.map((value) => JSON.parse(value) as Alert);
  }

  /** Records raised and resolved alerts: the active set changes and each goes on the recent list. */
  async recordAlerts(raised: readonly Alert[], resolved: readonly Alert[]): Promise<void> {
    if (!raised.length && !resolved.length) return;
    const pipeline = this.redis.multi();
    for (const alert of raised)
      pipeline.hset(this.keys.activeAlerts, alert.anomaly_id, JSON.stringify(alert));
    for (const alert of resolved) pipeline.hdel(this.keys.activeAlerts, alert.anomaly_id);
    for (const alert of [...raised, ...resolved])
      pipeline.lpush(this.keys.recentAlerts, JSON.stringify(alert));
    pipeline.ltrim(this.keys.recentAlerts, 0, RECENT_ALERTS - 1);
    await pipeline.exec();
  }

  /** Round-to-round memory of the detectors (lag history, DLQ depth), by condition. */
  async memory<T>(): Promise<Map<string, T>> {
    const raw = await this.redis.hgetall(this.keys.memory);
    return new Map(Object.entries(raw).map(([key, value]) => [key, JSON.parse(value) as T]));
  }

  async saveMemory<T>(memory: ReadonlyMap<string, T>): Promise<void> {
    const pipeline = this.redis.multi().del(this.keys.memory);
    if (memory.size)
      pipeline.hset(
        this.keys.memory,
        Object.fromEntries([...memory].map(([key, value]) => [key, JSON.stringify(value)])),
      );
    await pipeline.exec();
  }

  async lastRound(): Promise<string | null> {
    return this.redis.get(this.keys.lastRound);
  }

  async markRound(at: Date): Promise<void> {
    await this.redis.set(this.keys.lastRound, at.toISOString());
  }

  /** Counts usage into the window that starts at `windowStartMs`; `session` counts once per window. */
  async countUsage(
    windowStartMs: number,
    tenantId: string,
    counts: Readonly<Record<string, number>>,
    session?: string,
  ): Promise<void> {
    const pipeline = this.redis.multi();
    for (const [counter, by] of Object.entries(counts))
      pipeline.hincrbyfloat(this.keys.usageCounters, `${windowStartMs}|${tenantId}|${counter}`, by);
    if (session) {
      const sessions = this.keys.usageSessions(windowStartMs);
      pipeline.sadd(sessions, `${tenantId}|${session}`);
      // Closed windows are read soon after they close; a day bounds what an absent worker leaves.
      pipeline.expire(sessions, 86_400);
    }
    await pipeline.exec();
  }

  /** Counters of windows that started before `beforeMs`, by window and tenant (their sessions included). */
  async closedUsage(beforeMs: number): Promise<Map<number, Map<string, Record<string, number>>>> {
    const raw = await this.redis.hgetall(this.keys.usageCounters);
    const windows = new Map<number, Map<string, Record<string, number>>>();
    for (const [field, value] of Object.entries(raw)) {
      const [start, tenant, counter] = field.split('|');
      const windowStart = Number(start);
      if (!tenant || !counter || !(windowStart < beforeMs)) continue;
      const tenants = windows.get(windowStart) ?? new Map<string, Record<string, number>>();
      windows.set(windowStart, tenants);
      const counters = tenants.get(tenant) ?? {};
      tenants.set(tenant, counters);
      counters[counter] = Number(value);
    }
    for (const [windowStart, tenants] of windows) {
      for (const member of await this.redis.smembers(this.keys.usageSessions(windowStart))) {
        const tenant = member.slice(0, member.indexOf('|'));
        const counters = tenants.get(tenant) ?? {};
        tenants.set(tenant, counters);
        counters.sessions = (counters.sessions ?? 0) + 1;
      }
    }
    return windows;
  }

  /** Stores a closed window's reports and drops its counters, in one step. */
  async closeUsageWindow(
    windowStartMs: number,
    reports: readonly UsageMetrics[],
    fields: readonly string[],
  ): Promise<void> {
    const pipeline = this.redis.multi();
    for (const report of reports) pipeline.lpush(this.keys.usageReports, JSON.stringify(report));
    pipeline.ltrim(this.keys.usageReports, 0, USAGE_REPORTS - 1);
    if (fields.length) pipeline.hdel(this.keys.usageCounters, ...fields);
    pipeline.del(this.keys.usageSessions(windowStartMs));
    await pipeline.exec();
  }

  /** Published usage reports, newest first; only `tenantId`'s when given. */
  async usageReports(options: { tenantId?: string; limit: number }): Promise<UsageMetrics[]> {
    const raw = await this.redis.lrange(this.keys.usageReports, 0, USAGE_REPORTS - 1);
    const reports = raw.map((value) => JSON.parse(value) as UsageMetrics);
    return reports
      .filter((r) => !options.tenantId || r.tenant_id === options.tenantId)
      .slice(0, options.limit);
  }
}

function parseValues<T>(raw: Record<string, string>): T[] {
  return Object.values(raw).map((value) => JSON.parse(value) as T);
}
