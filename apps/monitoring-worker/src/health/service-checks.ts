import { Inject, Injectable } from '@nestjs/common';
import { monitoringKeys } from '@livetranslate/contracts';
import { ManagedRedis } from '@livetranslate/redis-streams';
import {
  downstreamClients,
  readServiceRegistry,
  type DownstreamClients,
  type ServiceHeartbeat,
} from '@livetranslate/service-kit';
import { MONITORING_ENV, type MonitoringEnv } from '../config/env.js';
import type { CheckOutcome } from './health-tracker.js';

/** What Redis says about itself, for the memory anomaly and the health details. */
export interface RedisFigures {
  used_memory: number;
  maxmemory: number;
  connected_clients: number;
  instantaneous_ops_per_sec: number;
}

/** Subjects that are not apps of the service registry. */
export const INFRASTRUCTURE_SERVICES = ['redis', 'whisper', 'translation'] as const;

/** The failure of an app none of whose replicas is registered any more. */
export const NO_LIVE_REPLICA = 'no live replica';

export interface ServiceCheckResults {
  outcomes: Map<string, CheckOutcome>;
  redis: RedisFigures | null;
}

/**
 * One probe of everything the system runs on: Redis (PING and INFO), the model services' health
 * endpoints, and every app replica in the service registry (`/readyz`). An app is one service: its
 * check passes when every live replica is ready; a replica whose heartbeat went stale counts as down
 * until it is forgotten.
 */
@Injectable()
export class ServiceChecks {
  private readonly models: DownstreamClients;

  constructor(
    @Inject(MONITORING_ENV) private readonly env: MonitoringEnv,
    private readonly connection: ManagedRedis,
  ) {
    // One attempt per probe and no circuit breaker: every round must ask the service itself.
    this.models = downstreamClients(env, {
      timeoutMs: env.MONITOR_CHECK_TIMEOUT_MS,
      maxAttempts: 1,
      breakerThreshold: Number.MAX_SAFE_INTEGER,
    });
  }

  async run(now: number, knownApps: readonly string[]): Promise<ServiceCheckResults> {
    const [redis, whisper, translation, apps] = await Promise.all([
      this.redis(),
      timed(() => this.models.speech.health()),
      timed(() => this.models.translation.health()),
      this.apps(now, knownApps),
    ]);
    const outcomes = new Map<string, CheckOutcome>([
      ['redis', redis.outcome],
      ['whisper', whisper],
      ['translation', translation],
      ...apps,
    ]);
    return { outcomes, redis: redis.figures };
  }

  private async redis(): Promise<{ outcome: CheckOutcome; figures: RedisFigures | null }> {
    let figures = null as RedisFigures | null;
    const outcome = await timed(async () => {
      const info = parseInfo(await this.connection.redis.info());
      figures = {
        used_memory: info.used_memory ?? 0,
        maxmemory: info.maxmemory ?? 0,
        connected_clients: info.connected_clients ?? 0,
        instantaneous_ops_per_sec: info.instantaneous_ops_per_sec ?? 0,
      };
      return figures;
    });
    return { outcome: figures ? { ...outcome, details: { ...figures } } : outcome, figures };
  }

  private async apps(now: number, knownApps: readonly string[]): Promise<Array<[string, CheckOutcome]>> {
    const registry = await readServiceRegistry(this.connection.redis, this.env.REDIS_KEY_PREFIX);
    const forgotten = registry.filter(
      (r) => now - Date.parse(r.heartbeat_at) > this.env.MONITOR_INSTANCE_FORGET_MS,
    );
    if (forgotten.length)
      await this.connection.redis.hdel(
        monitoringKeys(this.env.REDIS_KEY_PREFIX).services,
        ...forgotten.map((r) => `${r.app}/${r.instance}`),
      );
    const byApp = new Map<string, ServiceHeartbeat[]>(knownApps.map((app) => [app, []]));
    for (const replica of registry) {
      if (forgotten.includes(replica)) continue;
      byApp.set(replica.app, [...(byApp.get(replica.app) ?? []), replica]);
    }
    return Promise.all(
      [...byApp].map(async ([app, replicas]): Promise<[string, CheckOutcome]> => [
        app,
        await this.app(now, replicas),
      ]),
    );
  }

  private async app(now: number, replicas: ServiceHeartbeat[]): Promise<CheckOutcome> {
    if (replicas.length === 0) return { ok: false, latencyMs: 0, error: NO_LIVE_REPLICA };
    const results = await Promise.all(
      replicas.map(async (replica) => {
        const age = now - Date.parse(replica.heartbeat_at);
        if (age > this.env.MONITOR_INSTANCE_STALE_MS)
          return { replica, outcome: failure(0, `no heartbeat for ${Math.round(age / 1000)} s`) };
        return { replica, outcome: await timed(() => this.ready(replica.url)) };
      }),
    );
    const failed = results.filter((r) => !r.outcome.ok);
    const latencyMs = Math.max(...results.map((r) => r.outcome.latencyMs));
    const details = {
      replicas: results.map(({ replica, outcome }) => ({
        instance: replica.instance,
        url: replica.url,
        ready: outcome.ok,
        latency_ms: Math.round(outcome.latencyMs),
        ...(outcome.ok ? {} : { error: outcome.error }),
      })),
    };
    if (failed.length === 0) return { ok: true, latencyMs, details };
    const error = failed
      .map((r) => `${r.replica.instance}: ${r.outcome.ok ? '' : r.outcome.error}`)
      .join('; ');
    return { ok: false, latencyMs, error, details };
  }

  private async ready(url: string): Promise<void> {
    const response = await fetch(`${url}/readyz`, {
      signal: AbortSignal.timeout(this.env.MONITOR_CHECK_TIMEOUT_MS),
    });
    if (response.ok) return;
    // /readyz names the failing check: keep it in the error.
    const body = (await response.text()).slice(0, 300);
    throw new Error(`/readyz answered ${response.status}: ${body}`);
  }
}

function failure(latencyMs: number, error: string): CheckOutcome {
  return { ok: false, latencyMs, error };
}

async function timed(probe: () => Promise<unknown>): Promise<CheckOutcome> {
  const started = performance.now();
  try {
    await probe();
    return { ok: true, latencyMs: performance.now() - started };
  } catch (error) {
    return failure(performance.now() - started, describe(error));
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string } };
  const message = e.message ?? String(error);
  return e.cause?.code ? `${message} (${e.cause.code})` : message;
}

function parseInfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('#')) continue;
    const value = Number(line.slice(colon + 1));
    if (Number.isFinite(value)) out[line.slice(0, colon)] = value;
  }
  return out;
}
