import { Inject, Injectable } from '@nestjs/common';
import type { UsageMetrics } from '@livetranslate/contracts';
import { SessionRepository } from '@livetranslate/ingest';
import { MonitoringStore, type BotRecord } from '@livetranslate/session-store';
import { MONITORING_ENV, type MonitoringEnv } from '../config/env.js';

const TENANT_CACHE_SIZE = 10_000;
/** Windows are closed this long after they end, so counts still in flight land in them. */
const CLOSE_GRACE_MS = 2_000;
/** Sessions whose record is gone (expired) are counted under this tenant. */
export const UNKNOWN_TENANT = 'unknown';

/**
 * Per-tenant usage in fixed windows: counts arrive from the stream handlers; once a window has ended
 * each tenant's figures go out as one UsageMetrics. Results carry no tenant, so the session record
 * is asked once per session and remembered.
 */
@Injectable()
export class UsageCounter {
  private readonly tenants = new Map<string, string>();

  constructor(
    @Inject(MONITORING_ENV) private readonly env: MonitoringEnv,
    private readonly store: MonitoringStore,
    private readonly sessions: SessionRepository,
  ) {}

  async count(tenantId: string, counts: Record<string, number>, session?: string): Promise<void> {
    await this.store.countUsage(this.windowOf(Date.now()), tenantId, counts, session);
  }

  async tenantOf(sessionId: string): Promise<string> {
    const known = this.tenants.get(sessionId);
    if (known) return known;
    const tenant = (await this.sessions.tenantOf(sessionId)) ?? UNKNOWN_TENANT;
    if (this.tenants.size >= TENANT_CACHE_SIZE) this.tenants.delete(this.tenants.keys().next().value!);
    this.tenants.set(sessionId, tenant);
    return tenant;
  }

  /** Builds the reports of every window that has ended; the caller publishes them, then `close`s. */
  async endedWindows(
    now: number,
    liveBots: readonly BotRecord[],
  ): Promise<Array<{ windowStart: number; reports: UsageMetrics[]; fields: string[] }>> {
    const length = this.env.MONITOR_USAGE_WINDOW_MS;
    const windows = await this.store.closedUsage(now - CLOSE_GRACE_MS - length + 1);
    if (windows.size === 0) return [];
    const bots = new Map<string, Record<string, number>>();
    for (const bot of liveBots) {
      const byStatus = bots.get(bot.tenantId) ?? {};
      byStatus[bot.status] = (byStatus[bot.status] ?? 0) + 1;
      bots.set(bot.tenantId, byStatus);
    }
    return [...windows]
      .sort(([a], [b]) => a - b)
      .map(([windowStart, tenants]) => ({
        windowStart,
        fields: [...tenants].flatMap(([tenant, counters]) =>
          Object.keys(counters)
            .filter((c) => c !== 'sessions')
            .map((c) => `${windowStart}|${tenant}|${c}`),
        ),
        reports: [...tenants].map(([tenant, c]) => ({
          window_start: new Date(windowStart).toISOString(),
          window_end: new Date(windowStart + length).toISOString(),
          tenant_id: tenant,
          sessions: c.sessions ?? 0,
          chunks_received: c.chunks_received ?? 0,
          chunks_processed: c.chunks_processed ?? 0,
          audio_seconds: Math.round((c.audio_seconds ?? 0) * 1000) / 1000,
          translations: c.translations ?? 0,
          failures: c.failures ?? 0,
          bots: bots.get(tenant) ?? {},
        })),
      }));
  }

  async close(windowStart: number, reports: UsageMetrics[], fields: string[]): Promise<void> {
    await this.store.closeUsageWindow(windowStart, reports, fields);
  }

  private windowOf(at: number): number {
    return at - (at % this.env.MONITOR_USAGE_WINDOW_MS);
  }
}
