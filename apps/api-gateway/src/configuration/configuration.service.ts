import { randomUUID } from 'node:crypto';
import {
  differences,
  effectiveConfig,
  settingsFor,
  type ModelService,
  type SystemConfig,
} from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import {
  ApiError,
  ConfigChanges,
  DOWNSTREAM,
  modelConfigApis,
  toRequest,
  type ModelConfigApi,
  type ChangeMeta,
  type ConfigChange,
  type DownstreamClients,
} from '@livetranslate/service-kit';
import { ConfigStore, type ConfigVersion } from '@livetranslate/session-store';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/** Reports older than this are replicas that are gone. */
const REPLICA_REPORT_TTL_MS = 90_000;

export interface RequestAccepted {
  request_id: string;
  status: 'pending';
  status_url: string;
}

/**
 * The stored configuration as the API changes it. In `api` mode a change is applied here (200 and
 * the new version); in `worker` mode it is checked here, published as a request for the
 * config-sync-worker to apply in order, and answered with 202 and where to read its outcome.
 */
@Injectable()
export class ConfigurationService {
  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly changes: ConfigChanges,
    private readonly store: ConfigStore,
    private readonly publisher: StreamEventPublisher,
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
  ) {}

  current(): Promise<ConfigVersion> {
    return this.changes.current();
  }

  version(version: number): Promise<ConfigVersion> {
    return this.changes.version(version);
  }

  history(): Promise<ConfigVersion[]> {
    return this.store.history();
  }

  async change(change: ConfigChange, meta: ChangeMeta): Promise<ConfigVersion | RequestAccepted> {
    if (this.env.CONFIG_SYNC_MODE === 'api') return this.changes.apply(change, meta);
    // Worker mode: refuse here what can never apply (shape, rules, a base already stale), then queue.
    await this.changes.resolve(change);
    const requestId = randomUUID();
    await this.store.recordRequest(requestId, {
      request_id: requestId,
      status: 'pending',
      updated_at: new Date().toISOString(),
    });
    const request = toRequest(change, requestId, meta);
    if (request.type === 'ConfigRollbackRequested')
      await this.publisher.publish(request.type, request.payload);
    else await this.publisher.publish(request.type, request.payload);
    return { request_id: requestId, status: 'pending', status_url: `/api/config/requests/${requestId}` };
  }

  async request(id: string) {
    const state = await this.store.request(id);
    if (!state) throw new ApiError(404, 'config_request_not_found', `no configuration request ${id}`);
    return state;
  }

  async tenant(tenantId: string, version?: ConfigVersion) {
    const current = version ?? (await this.current());
    return {
      tenant: tenantId,
      version: current.version,
      overrides: current.config.tenants[tenantId] ?? {},
      effective: effectiveConfig(current.config, tenantId),
    };
  }

  /**
   * What runs where: the version each live replica reports, and whether each model service's
   * settings match the document's. `pending` while replicas catch up.
   */
  async status() {
    const current = await this.current();
    const now = Date.now();
    const replicas = Object.entries(await this.store.appliedByReplica())
      .filter(([, report]) => now - Date.parse(report.at) < REPLICA_REPORT_TTL_MS)
      .map(([replica, report]) => ({ replica, ...report }));
    const services = await Promise.all(
      modelConfigApis(this.models).map(([service, api]) => this.compare(service, api, current.config)),
    );
    const state = services.some((s) => s.state === 'service_unavailable')
      ? 'service_unavailable'
      : services.some((s) => s.state === 'drift_detected')
        ? 'drift_detected'
        : replicas.some((r) => r.version !== current.version)
          ? 'pending'
          : 'synchronized';
    return { state, version: current.version, checksum: current.checksum, replicas, services };
  }

  /** The same comparison the config-sync-worker makes: each service's own keys, by value. */
  private async compare(service: ModelService, api: ModelConfigApi, config: SystemConfig) {
    try {
      const reported = await api.get();
      const differing = differences(service, settingsFor(config, service), reported.config);
      return {
        service,
        state: differing.length ? 'drift_detected' : 'synchronized',
        checksum: reported.checksum ?? null,
        differences: differing,
      };
    } catch (error) {
      return {
        service,
        state: 'service_unavailable',
        checksum: null,
        differences: [],
        error: (error as Error).message,
      };
    }
  }
}
