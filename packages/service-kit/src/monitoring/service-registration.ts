import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { monitoringKeys } from '@livetranslate/contracts';
import type { RedisClient } from '@livetranslate/redis-streams';
import { firstValueFrom } from 'rxjs';

/** What an app replica writes into the service registry. */
export interface ServiceHeartbeat {
  app: string;
  instance: string;
  /** Where its /readyz answers. */
  url: string;
  started_at: string;
  heartbeat_at: string;
}

export interface ServiceRegistrationOptions {
  app: string;
  instance: string;
  url: string;
  keyPrefix: string;
  intervalMs: number;
}

/**
 * Keeps this replica in the service registry (one hash, field `<app>/<instance>`) with a heartbeat,
 * so the monitoring-worker finds new replicas and notices dead ones without configuration. A replica
 * that stops cleanly removes itself; one that dies leaves a heartbeat that goes stale.
 */
export class ServiceRegistration implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ServiceRegistration.name);
  private readonly field: string;
  private readonly startedAt = new Date().toISOString();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: ServiceRegistrationOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.field = `${options.app}/${options.instance}`;
  }

  onApplicationBootstrap(): void {
    // Registered once it listens: a probe must not find a replica that cannot answer yet.
    void firstValueFrom(this.adapterHost.listen$).then(() => this.start());
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    await this.beat().catch((e: Error) => this.logger.warn(`registering failed: ${e.message}`));
    this.timer = setInterval(
      () => void this.beat().catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`)),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  // Before the Redis connection closes, and before the drain: a draining replica is leaving.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.redis.hdel(monitoringKeys(this.options.keyPrefix).services, this.field).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const heartbeat: ServiceHeartbeat = {
      app: this.options.app,
      instance: this.options.instance,
      url: this.options.url,
      started_at: this.startedAt,
      heartbeat_at: new Date().toISOString(),
    };
    await this.redis.hset(
      monitoringKeys(this.options.keyPrefix).services,
      this.field,
      JSON.stringify(heartbeat),
    );
  }
}

/** Every registered replica, parsed (fields that do not parse are skipped). */
export async function readServiceRegistry(
  redis: RedisClient,
  keyPrefix: string,
): Promise<ServiceHeartbeat[]> {
  const raw = await redis.hgetall(monitoringKeys(keyPrefix).services);
  const out: ServiceHeartbeat[] = [];
  for (const value of Object.values(raw)) {
    try {
      const parsed = JSON.parse(value) as ServiceHeartbeat;
      if (parsed.app && parsed.instance && parsed.url && parsed.heartbeat_at) out.push(parsed);
    } catch {
      // a foreign or half-written field: not a replica
    }
  }
  return out;
}
