import {
  CONFIG_PRESETS,
  effectiveConfig,
  mergePatch,
  validateSystemConfig,
  validateTenantOverrides,
  type ConfigPreset,
  type SystemConfig,
  type ServiceConfigBody,
  type TenantOverrides,
  WhisperClient,
} from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { ApiError, DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { ConfigStore, type ConfigVersion } from '@livetranslate/session-store';
import { Inject, Injectable } from '@nestjs/common';

export interface ChangeMeta {
  changedBy: string;
  reason: string;
}

/** The Whisper contract has a config API; an OpenAI-compatible backend has none to compare. */
function whisperConfigOf(speech: DownstreamClients['speech']): Promise<ServiceConfigBody> {
  if (speech instanceof WhisperClient) return speech.getConfig();
  return Promise.resolve({ config: {} });
}

/** Reports older than this are replicas that are gone. */
const REPLICA_REPORT_TTL_MS = 90_000;

/**
 * The stored configuration as the API changes it: validated, committed as the version after the
 * one the caller read (If-Match), announced with ConfigSnapshot so every replica applies it.
 */
@Injectable()
export class ConfigurationService {
  constructor(
    private readonly store: ConfigStore,
    private readonly publisher: StreamEventPublisher,
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
  ) {}

  async current(): Promise<ConfigVersion> {
    const current = await this.store.current();
    if (!current) throw new ApiError(503, 'config_unavailable', 'no configuration is stored yet');
    return current;
  }

  async version(version: number): Promise<ConfigVersion> {
    const found = await this.store.get(version);
    if (!found)
      throw new ApiError(404, 'config_version_not_found', `version ${version} is not in the history`);
    return found;
  }

  history(): Promise<ConfigVersion[]> {
    return this.store.history();
  }

  /** A whole new document, following `base`. */
  async replace(base: number, document: unknown, meta: ChangeMeta): Promise<ConfigVersion> {
    const checked = validateSystemConfig(document);
    if (!checked.ok)
      throw new ApiError(400, 'invalid_config', checked.errors.join('; '), { errors: checked.errors });
    return this.commit(base, checked.value, meta);
  }

  /** An RFC 7396 merge patch over the current document, which must still be `base`. */
  async patch(base: number, patch: unknown, meta: ChangeMeta): Promise<ConfigVersion> {
    const current = await this.current();
    this.checkBase(base, current.version);
    if ('tenants' in ((patch as object) ?? {})) {
      throw new ApiError(
        400,
        'invalid_config',
        'tenants: change tenant overrides under /api/tenants/:tenant/config',
      );
    }
    return this.replace(base, mergePatch(current.config, patch), meta);
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

  /** Replaces (or, with `merge`, patches) one tenant's overrides: a new global version. */
  async changeTenant(
    tenantId: string,
    base: number,
    body: unknown,
    merge: boolean,
    meta: ChangeMeta,
  ): Promise<ConfigVersion> {
    const current = await this.current();
    this.checkBase(base, current.version);
    const next = merge ? mergePatch(current.config.tenants[tenantId] ?? {}, body) : body;
    const checked = validateTenantOverrides(next, `tenants.${tenantId}.`);
    if (!checked.ok)
      throw new ApiError(400, 'invalid_config', checked.errors.join('; '), { errors: checked.errors });
    const tenants: Record<string, TenantOverrides> = { ...current.config.tenants, [tenantId]: checked.value };
    return this.replace(base, { ...current.config, tenants }, meta);
  }

  /** Restores an earlier version as the next one, if it is still exactly what was committed. */
  async rollback(version: number, meta: ChangeMeta): Promise<ConfigVersion> {
    const target = await this.version(version);
    if (!ConfigStore.intact(target)) {
      throw new ApiError(
        409,
        'integrity_check_failed',
        `version ${version} no longer matches its checksum ${target.checksum}; it was changed after it was committed`,
      );
    }
    const current = await this.current();
    return this.commit(current.version, target.config, {
      ...meta,
      reason: meta.reason || `rollback to version ${version}`,
    });
  }

  async preset(name: string, meta: ChangeMeta): Promise<ConfigVersion> {
    if (!(name in CONFIG_PRESETS)) {
      throw new ApiError(
        404,
        'preset_not_found',
        `no preset "${name}"; known: ${Object.keys(CONFIG_PRESETS).join(', ')}`,
      );
    }
    const current = await this.current();
    const chunking = { ...CONFIG_PRESETS[name as ConfigPreset] };
    return this.commit(
      current.version,
      { ...current.config, chunking },
      { ...meta, reason: meta.reason || `preset ${name}` },
    );
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
    const services = await Promise.all([
      this.compare('whisper', () => whisperConfigOf(this.models.speech), current.config.whisper),
      this.compare('translation', () => this.models.translation.getConfig(), current.config.translation),
    ]);
    const state = services.some((s) => s.state === 'service_unavailable')
      ? 'service_unavailable'
      : services.some((s) => s.state === 'drift_detected')
        ? 'drift_detected'
        : replicas.some((r) => r.version !== current.version)
          ? 'pending'
          : 'synchronized';
    return { state, version: current.version, checksum: current.checksum, replicas, services };
  }

  private async compare(
    service: string,
    read: () => Promise<{ config: Record<string, unknown>; checksum?: string }>,
    wanted: object,
  ) {
    try {
      const reported = await read();
      const differences = Object.entries(wanted)
        .filter(([key]) => key in reported.config)
        .filter(([key, value]) => JSON.stringify(reported.config[key]) !== JSON.stringify(value))
        .map(([key]) => `${service}.${key}`);
      return {
        service,
        state: differences.length ? 'drift_detected' : 'synchronized',
        checksum: reported.checksum ?? null,
        differences,
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

  private checkBase(base: number, current: number): void {
    if (base !== current) {
      throw new ApiError(
        412,
        'stale_version',
        `If-Match names version ${base}, but version ${current} is current`,
        {
          current_version: current,
        },
      );
    }
  }

  private async commit(base: number, config: SystemConfig, meta: ChangeMeta): Promise<ConfigVersion> {
    const committed = await this.store.commit(base, config, meta);
    if (!committed.ok) {
      throw new ApiError(
        412,
        'stale_version',
        `version ${base} is no longer current (${committed.current} is)`,
        {
          current_version: committed.current,
        },
      );
    }
    const { version, checksum } = committed.version;
    await this.publisher.publish('ConfigSnapshot', {
      version,
      checksum,
      config: config as unknown as Record<string, unknown>,
    });
    return committed.version;
  }
}
