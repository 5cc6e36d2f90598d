import { configChecksum, type SystemConfig } from '@livetranslate/contracts';
import type { Redis } from 'ioredis';

/** One immutable version of the configuration document. */
export interface ConfigVersion {
  version: number;
  /** SHA-256 of the canonical JSON of `config`, taken when it was committed. */
  checksum: string;
  config: SystemConfig;
  changed_by: string;
  changed_at: string;
  reason: string;
}

/** Where a change request stands: pending, applied as a version, or rejected and why. */
export interface ConfigRequestState {
  request_id: string;
  status: 'pending' | 'applied' | 'rejected';
  version?: number;
  error?: { code: string; message: string };
  updated_at: string;
}

export type CommitResult =
  { ok: true; version: ConfigVersion } | { ok: false; reason: 'stale'; current: number };

// Commits the next version if the current one is still `base` (or for a seed, when none exists).
// The record is stored as given (no re-encoding, which would change the checksummed text);
// versions beyond the history length are dropped.
const COMMIT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[1] ~= '*' and tonumber(ARGV[1]) ~= current then return {-1, current} end
local next = current + 1
redis.call('HSET', KEYS[2], next, ARGV[2])
redis.call('SET', KEYS[1], next)
local drop = next - tonumber(ARGV[3])
if drop > 0 then redis.call('HDEL', KEYS[2], drop) end
return {next, current}`;

type ScriptedRedis = Redis & {
  ltConfigCommit(n: number, ...args: Array<string | number>): Promise<[number, number]>;
};

/**
 * The versioned configuration in Redis: numbered, immutable versions with their checksums, who
 * changed them, when and why; the current version; a history of `historyLength` versions. Exactly
 * one version follows each base version, however many writers race (compare-and-set in a script).
 */
export class ConfigStore {
  private readonly redis: ScriptedRedis;
  private readonly keys: { current: string; versions: string; applied: string; requests: string };

  constructor(
    redis: Redis,
    prefix: string,
    private readonly historyLength = 50,
  ) {
    redis.defineCommand('ltConfigCommit', { lua: COMMIT });
    this.redis = redis as ScriptedRedis;
    // One hash tag: both keys are touched by one script.
    const base = `${prefix}:config:{global}`;
    this.keys = {
      current: `${base}:current`,
      versions: `${base}:versions`,
      applied: `${base}:applied`,
      requests: `${base}:request`,
    };
  }

  /** Records where a change request (CONFIG_SYNC_MODE=worker) stands; kept for a day. */
  async recordRequest(id: string, state: ConfigRequestState): Promise<void> {
    await this.redis.set(`${this.keys.requests}:${id}`, JSON.stringify(state), 'EX', 86_400);
  }

  async request(id: string): Promise<ConfigRequestState | null> {
    const raw = await this.redis.get(`${this.keys.requests}:${id}`);
    return raw ? (JSON.parse(raw) as ConfigRequestState) : null;
  }

  /** A replica reports the version it runs (read by the configuration status). */
  async reportApplied(replica: string, version: ConfigVersion): Promise<void> {
    await this.redis.hset(
      this.keys.applied,
      replica,
      JSON.stringify({ version: version.version, checksum: version.checksum, at: new Date().toISOString() }),
    );
  }

  /** What every replica last reported running. */
  async appliedByReplica(): Promise<Record<string, { version: number; checksum: string; at: string }>> {
    const raw = await this.redis.hgetall(this.keys.applied);
    return Object.fromEntries(Object.entries(raw).map(([replica, json]) => [replica, JSON.parse(json)]));
  }

  async currentVersion(): Promise<number> {
    return Number((await this.redis.get(this.keys.current)) ?? 0);
  }

  async current(): Promise<ConfigVersion | null> {
    const version = await this.currentVersion();
    return version ? this.get(version) : null;
  }

  async get(version: number): Promise<ConfigVersion | null> {
    const raw = await this.redis.hget(this.keys.versions, String(version));
    return raw ? { ...(JSON.parse(raw) as Omit<ConfigVersion, 'version'>), version } : null;
  }

  /** Newest first. */
  async history(limit = this.historyLength): Promise<ConfigVersion[]> {
    const current = await this.currentVersion();
    const out: ConfigVersion[] = [];
    for (let v = current; v > 0 && out.length < limit; v--) {
      const version = await this.get(v);
      if (!version) break;
      out.push(version);
    }
    return out;
  }

  /** Commits `config` as the version after `base` ('*': whatever is current; used for the seed). */
  async commit(
    base: number | '*',
    config: SystemConfig,
    meta: { changedBy: string; reason: string },
  ): Promise<CommitResult> {
    const record: Omit<ConfigVersion, 'version'> = {
      checksum: configChecksum(config),
      config,
      changed_by: meta.changedBy,
      changed_at: new Date().toISOString(),
      reason: meta.reason,
    };
    const [version, current] = await this.redis.ltConfigCommit(
      2,
      this.keys.current,
      this.keys.versions,
      String(base),
      JSON.stringify(record),
      this.historyLength,
    );
    if (version === -1) return { ok: false, reason: 'stale', current };
    return { ok: true, version: { ...record, version } };
  }

  /** Version 1 from the environment's defaults, unless a stored configuration exists: then it wins. */
  async seed(config: SystemConfig): Promise<ConfigVersion> {
    const existing = await this.current();
    if (existing) return existing;
    const seeded = await this.commit(0, config, {
      changedBy: 'environment',
      reason: 'seeded from the environment',
    });
    if (seeded.ok) return seeded.version;
    return (await this.current())!; // another replica seeded it first
  }

  /** Whether a stored version still matches the checksum it was committed with. */
  static intact(version: ConfigVersion): boolean {
    return configChecksum(version.config) === version.checksum;
  }
}
