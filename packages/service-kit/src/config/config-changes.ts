import { Injectable } from '@nestjs/common';
import {
  CONFIG_PRESETS,
  mergePatch,
  validateSystemConfig,
  validateTenantOverrides,
  type ConfigPreset,
  type ConfigRollbackRequested,
  type ConfigUpdateRequested,
  type SystemConfig,
  type TenantOverrides,
} from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { ConfigStore, type ConfigVersion } from '@livetranslate/session-store';
import { ApiError } from '../http/api-error.js';

export interface ChangeMeta {
  changedBy: string;
  reason: string;
  /** The change request's id: a redelivered request commits once (CONFIG_SYNC_MODE=worker). */
  requestId?: string;
}

/** A change as it travels: what the caller read (`base`) and what it wants. */
export type ConfigChange =
  | { kind: 'replace'; base: number; document: unknown }
  | { kind: 'patch'; base: number; patch: unknown }
  | { kind: 'tenant'; base: number; tenant: string; overrides: unknown; merge: boolean }
  | { kind: 'rollback'; version: number }
  | { kind: 'preset'; name: string };

/**
 * Applies configuration changes: validates the resulting document (a breach is a 400 naming the
 * field), commits it as the version after `base` (412 when another came first: exactly one
 * version follows each base), and announces it with ConfigSnapshot. The gateway runs it in `api`
 * mode, the config-sync-worker in `worker` mode.
 */
@Injectable()
export class ConfigChanges {
  constructor(
    private readonly store: ConfigStore,
    private readonly publisher: StreamEventPublisher,
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

  /** The document the change leads to, checked; throws ApiError when it cannot be applied. */
  async resolve(change: ConfigChange): Promise<{ base: number; config: SystemConfig; reason?: string }> {
    const current = await this.current();
    switch (change.kind) {
      case 'replace':
        return { base: change.base, config: checked(change.document) };
      case 'patch': {
        checkBase(change.base, current.version);
        if (change.patch && typeof change.patch === 'object' && 'tenants' in change.patch) {
          throw new ApiError(
            400,
            'invalid_config',
            'tenants: change tenant overrides under /api/tenants/:tenant/config',
          );
        }
        return { base: change.base, config: checked(mergePatch(current.config, change.patch)) };
      }
      case 'tenant': {
        checkBase(change.base, current.version);
        const next = change.merge
          ? mergePatch(current.config.tenants[change.tenant] ?? {}, change.overrides)
          : change.overrides;
        const overrides = validateTenantOverrides(next, `tenants.${change.tenant}.`);
        if (!overrides.ok) throw invalid(overrides.errors);
        const tenants: Record<string, TenantOverrides> = {
          ...current.config.tenants,
          [change.tenant]: overrides.value,
        };
        return { base: change.base, config: checked({ ...current.config, tenants }) };
      }
      case 'rollback': {
        const target = await this.version(change.version);
        if (!ConfigStore.intact(target)) {
          throw new ApiError(
            409,
            'integrity_check_failed',
            `version ${change.version} no longer matches its checksum ${target.checksum}; it was changed after it was committed`,
          );
        }
        return {
          base: current.version,
          config: target.config,
          reason: `rollback to version ${change.version}`,
        };
      }
      case 'preset': {
        if (!(change.name in CONFIG_PRESETS)) {
          throw new ApiError(
            404,
            'preset_not_found',
            `no preset "${change.name}"; known: ${Object.keys(CONFIG_PRESETS).join(', ')}`,
          );
        }
        const chunking = { ...CONFIG_PRESETS[change.name as ConfigPreset] };
        return {
          base: current.version,
          config: { ...current.config, chunking },
          reason: `preset ${change.name}`,
        };
      }
    }
  }

  async apply(change: ConfigChange, meta: ChangeMeta): Promise<ConfigVersion> {
    const { base, config, reason } = await this.resolve(change);
    const committed = await this.store.commit(base, config, { ...meta, reason: meta.reason || reason || '' });
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

function checked(document: unknown): SystemConfig {
  const result = validateSystemConfig(document);
  if (!result.ok) throw invalid(result.errors);
  return result.value;
}

function invalid(errors: string[]): ApiError {
  return new ApiError(400, 'invalid_config', errors.join('; '), { errors });
}

function checkBase(base: number, current: number): void {
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

/** The bus form of a change (CONFIG_SYNC_MODE=worker): ConfigUpdateRequested fields, or a rollback. */
export function toRequest(
  change: ConfigChange,
  requestId: string,
  meta: ChangeMeta,
):
  | { type: 'ConfigUpdateRequested'; payload: ConfigUpdateRequested }
  | { type: 'ConfigRollbackRequested'; payload: ConfigRollbackRequested } {
  const common = {
    request_id: requestId,
    requested_by: meta.changedBy,
    ...(meta.reason ? { reason: meta.reason } : {}),
  };
  switch (change.kind) {
    case 'rollback':
      return { type: 'ConfigRollbackRequested', payload: { ...common, to_version: change.version } };
    case 'replace':
      return {
        type: 'ConfigUpdateRequested',
        payload: {
          ...common,
          changes: {},
          base_version: change.base,
          document: change.document as Record<string, unknown>,
        },
      };
    case 'patch':
      return {
        type: 'ConfigUpdateRequested',
        payload: { ...common, changes: change.patch as Record<string, unknown>, base_version: change.base },
      };
    case 'tenant':
      return {
        type: 'ConfigUpdateRequested',
        payload: {
          ...common,
          changes: change.overrides as Record<string, unknown>,
          base_version: change.base,
          tenant_id: change.tenant,
          replace: !change.merge,
        },
      };
    case 'preset':
      return { type: 'ConfigUpdateRequested', payload: { ...common, changes: {}, preset: change.name } };
  }
}

/** The change a ConfigUpdateRequested asks for (the original's plain form: a patch on the current version). */
export function fromRequest(request: ConfigUpdateRequested, current: number): ConfigChange {
  const base = request.base_version ?? current;
  if (request.preset) return { kind: 'preset', name: request.preset };
  if (request.document) return { kind: 'replace', base, document: request.document };
  if (request.tenant_id) {
    return {
      kind: 'tenant',
      base,
      tenant: request.tenant_id,
      overrides: request.changes,
      merge: !request.replace,
    };
  }
  return { kind: 'patch', base, patch: request.changes };
}
