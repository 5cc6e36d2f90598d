import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  effectiveConfig,
  ENVELOPE_FIELD,
  parseEnvelope,
  type ConfigSnapshot,
  type SystemConfig,
} from '@livetranslate/contracts';
import { StreamTail, type ManagedRedis } from '@livetranslate/redis-streams';
import { ConfigStore, type ConfigVersion } from '@livetranslate/session-store';
import { Gauge } from 'prom-client';
import type { ReadinessChecks } from '../health/readiness.js';
import type { MetricsRegistry } from '../metrics/metrics.js';

export interface ConfigFollowerOptions {
  /** This app and replica, as they report what they run. */
  app: string;
  instance: string;
  /** The stream ConfigSnapshot events are published on. */
  stream: string;
  /** Version 1 when no configuration is stored yet (from this app's environment). */
  seed: SystemConfig;
}

/** How often a replica repeats its report, so the status can tell live replicas from gone ones. */
const REPORT_EVERY_MS = 30_000;

/**
 * Keeps this replica on the current configuration without restarts: reads the current version
 * before the app serves, then follows ConfigSnapshot events with a plain XREAD from the last id it
 * saw (no consumer group per replica, so replicas that are gone never hold back trimming). Reports
 * the version it runs on /readyz, in `livetranslate_config_version`, and in the store's per-replica
 * report that GET /api/config/status reads.
 */
export class ConfigFollower implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigFollower.name);
  private readonly gauge: Gauge;
  private tail?: StreamTail;
  private listeners: Array<(version: ConfigVersion) => void> = [];
  private applied!: ConfigVersion;
  private reporter?: NodeJS.Timeout;

  constructor(
    private readonly store: ConfigStore,
    private readonly connection: ManagedRedis,
    private readonly checks: ReadinessChecks,
    metrics: MetricsRegistry,
    private readonly options: ConfigFollowerOptions,
  ) {
    this.gauge = new Gauge({
      name: 'livetranslate_config_version',
      help: 'Configuration version this replica runs',
      registers: [metrics.registry],
    });
  }

  /** The version this replica runs now. */
  get current(): ConfigVersion {
    return this.applied;
  }

  /** The document a tenant's sessions and limits follow now. */
  effective(tenantId: string): Omit<SystemConfig, 'tenants'> {
    return effectiveConfig(this.applied.config, tenantId);
  }

  /** Called after every newer version is applied. */
  onChange(listener: (version: ConfigVersion) => void): void {
    this.listeners.push(listener);
  }

  async onModuleInit(): Promise<void> {
    const tail = new StreamTail(this.connection.open(`${this.options.app}:config-follower`), {
      stream: this.options.stream,
      name: ConfigFollower.name,
      onEntry: (_id, fields) => this.onEntry(fields),
    });
    this.tail = tail;
    // Where the stream ends now, before reading the store: nothing published after this is missed.
    const from = await tail.position();
    await this.apply(await this.store.seed(this.options.seed));
    this.checks.register('config', async () => ({
      version: this.applied.version,
      checksum: this.applied.checksum,
    }));
    tail.start(from);
    this.reporter = setInterval(() => void this.report(), REPORT_EVERY_MS);
    this.reporter.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.reporter);
    await this.tail?.close();
  }

  private async onEntry(fields: string[]): Promise<void> {
    const index = fields.indexOf(ENVELOPE_FIELD);
    const parsed = parseEnvelope(index >= 0 ? fields[index + 1] : undefined);
    if (!parsed.ok || parsed.envelope.event_type !== 'ConfigSnapshot') return;
    const snapshot = parsed.envelope.payload as unknown as ConfigSnapshot;
    if (snapshot.version <= this.applied.version) return;
    // The store is the truth (and checks the version is whole); the event only says "look".
    const version = await this.store.get(snapshot.version);
    if (version && ConfigStore.intact(version)) await this.apply(version);
  }

  private async apply(version: ConfigVersion): Promise<void> {
    this.applied = version;
    this.gauge.set(version.version);
    await this.report();
    for (const listener of this.listeners) listener(version);
  }

  private async report(): Promise<void> {
    await this.store
      .reportApplied(`${this.options.app}/${this.options.instance}`, this.applied)
      .catch((error: Error) => this.logger.warn(`could not report the applied version: ${error.message}`));
  }
}
