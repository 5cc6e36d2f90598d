import { Inject, Injectable, Logger } from '@nestjs/common';
import { monitoringKeys } from '@livetranslate/contracts';
import { ManagedRedis, RELEASE_IF_OWNER, StreamEventPublisher } from '@livetranslate/redis-streams';
import { BotStore, MonitoringStore, type ServiceHealthState } from '@livetranslate/session-store';
import { randomUUID } from 'node:crypto';
import { AlertBook } from '../anomalies/alert-book.js';
import { evaluate, type RuleMemory } from '../anomalies/anomaly-rules.js';
import { MONITORING_ENV, type MonitoringEnv } from '../config/env.js';
import { MonitoringMetrics } from '../metrics/monitoring-metrics.js';
import { nextHealth, type HealthThresholds } from '../health/health-tracker.js';
import { INFRASTRUCTURE_SERVICES, NO_LIVE_REPLICA, ServiceChecks } from '../health/service-checks.js';
import { StreamInspector } from '../streams/stream-inspector.js';
import { UsageCounter } from '../usage/usage-counter.js';

const INFRASTRUCTURE = new Set<string>(INFRASTRUCTURE_SERVICES);

export interface RoundSummary {
  ran: boolean;
  durationMs: number;
}

/**
 * One round: probe every service and apply the hysteresis, read every stream, evaluate the anomaly
 * rules, publish what changed (ServiceHealthReport, AnomalyDetected) and the usage of ended windows,
 * and keep the state the gateway's /api/system endpoints read.
 */
@Injectable()
export class MonitoringRound {
  private readonly logger = new Logger(MonitoringRound.name);
  private readonly thresholds: HealthThresholds;

  constructor(
    @Inject(MONITORING_ENV) private readonly env: MonitoringEnv,
    private readonly connection: ManagedRedis,
    private readonly store: MonitoringStore,
    private readonly bots: BotStore,
    private readonly checks: ServiceChecks,
    private readonly inspector: StreamInspector,
    private readonly alerts: AlertBook,
    private readonly usage: UsageCounter,
    @Inject(StreamEventPublisher) private readonly publisher: StreamEventPublisher,
    private readonly metrics: MonitoringMetrics,
  ) {
    this.thresholds = {
      failuresToUnhealthy: env.MONITOR_FAILURES_TO_UNHEALTHY,
      successesToRecovering: env.MONITOR_SUCCESSES_TO_RECOVERING,
      successesToHealthy: env.MONITOR_SUCCESSES_TO_HEALTHY,
      degradedLatencyMs: env.MONITOR_DEGRADED_LATENCY_MS,
    };
  }

  async run(streams = this.inspector.streams()): Promise<RoundSummary> {
    const started = performance.now();
    // The scheduler starts one round per interval; a round that overruns must not meet the next one.
    const lock = `${monitoringKeys(this.env.REDIS_KEY_PREFIX).lastRound}:lock`;
    const token = randomUUID();
    const ttl = this.env.MONITOR_CHECK_TIMEOUT_MS * 3;
    if ((await this.connection.redis.set(lock, token, 'PX', ttl, 'NX')) !== 'OK')
      return { ran: false, durationMs: performance.now() - started };
    try {
      await this.round(streams);
    } finally {
      // Only while it is still ours: an overrunning round's lock may have passed to another replica.
      await RELEASE_IF_OWNER.run(this.connection.redis, [lock], [token]);
    }
    const durationMs = performance.now() - started;
    this.metrics.roundSeconds.observe(durationMs / 1000);
    return { ran: true, durationMs };
  }

  private async round(streams: readonly string[]): Promise<void> {
    const now = Date.now();
    const at = new Date(now);
    const previous = new Map((await this.store.healthStates()).map((s) => [s.service, s]));
    const knownApps = [...previous.keys()].filter((s) => !INFRASTRUCTURE.has(s));
    const [checked, figures, liveBots, memory, active] = await Promise.all([
      this.checks.run(now, knownApps),
      this.inspector.inspect(streams, now),
      this.bots.liveBots(),
      this.store.memory<RuleMemory>(),
      this.alerts.active(),
    ]);

    const health: ServiceHealthState[] = [];
    const forget: string[] = [];
    for (const [service, outcome] of checked.outcomes) {
      const before = previous.get(service);
      // An app gone for good (no replica for the whole forget window) leaves the view.
      if (
        !outcome.ok &&
        outcome.error === NO_LIVE_REPLICA &&
        before?.status === 'unhealthy' &&
        now - Date.parse(before.since) > this.env.MONITOR_INSTANCE_FORGET_MS
      ) {
        forget.push(service);
        continue;
      }
      const state = nextHealth(before, service, outcome, this.thresholds, at);
      const due =
        !before ||
        before.status !== state.status ||
        !before.reported_at ||
        now - Date.parse(before.reported_at) >= this.env.MONITOR_REPORT_EVERY_MS;
      if (due) {
        await this.publisher.publish('ServiceHealthReport', {
          service,
          status: state.status,
          latency_ms: state.latency_ms,
          checked_at: state.checked_at,
          streak: state.streak,
          ...(state.previous_status ? { previous_status: state.previous_status } : {}),
          ...(state.error ? { error: state.error } : {}),
          ...(state.details ? { details: state.details } : {}),
        });
        state.reported_at = state.checked_at;
        if (before?.status !== state.status)
          this.logger.log(
            `${service}: ${before?.status ?? 'new'} → ${state.status}${state.error ? ` (${state.error})` : ''}`,
          );
      }
      health.push(state);
    }
    await this.store.saveHealth(health, forget);
    await this.store.saveStreams({ checked_at: at.toISOString(), streams: figures });

    const evaluated = evaluate(
      { now, health, streams: figures, redis: checked.redis, liveBots },
      memory,
      new Set(active.keys()),
      {
        lagGrowthRounds: this.env.MONITOR_LAG_GROWTH_ROUNDS,
        dlqQuietRounds: this.env.MONITOR_DLQ_QUIET_ROUNDS,
        stuckConsumerMs: this.env.MONITOR_STUCK_CONSUMER_MS,
        botOwnerTimeoutMs: this.env.MONITOR_BOT_OWNER_TIMEOUT_MS,
        redisMemoryRatio: this.env.MONITOR_REDIS_MEMORY_RATIO,
      },
    );
    await this.store.saveMemory(evaluated.memory);
    await this.alerts.apply(evaluated.conditions, active, at);

    for (const window of await this.usage.endedWindows(now, liveBots)) {
      for (const report of window.reports) await this.publisher.publish('UsageMetrics', report);
      await this.usage.close(window.windowStart, window.reports, window.fields);
    }
    await this.store.markRound(at);
  }
}
