import { configChecksum, type SystemConfig } from '@livetranslate/contracts';
import { LuaScript, type RedisClient } from '@livetranslate/redis-streams';

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
  | {
      ok: true;
      version: ConfigVersion;
      /** Committed before, by an earlier delivery of the request. */ replayed: boolean;
    }
  | { ok: false; reason: 'stale'; current: number };

// Commits the next version if the current one is still `base` (or for a seed, when none exists).
// A change request commits at most once: its version is remembered under the request's id, and a
// request redelivered after its worker died returns that version instead of committing again.
// The record is stored as given (no re-encoding, which would change the checksummed text);
// versions beyond the history length are dropped.
const COMMIT = new LuaScript<[number, number, number]>(
  'config-commit',
  `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[4] ~= '' then
  local done = redis.call('GET', KEYS[3])
  if done then return {tonumber(done), current, 1} end
end
if ARGV[1] ~= '*' and tonumber(ARGV[1]) ~= current then return {-1, current, 0} end
local next = current + 1
redis.call('HSET', KEYS[2], next, ARGV[2])
redis.call('SET', KEYS[1], next)
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], next, 'EX', 86400) end
local drop = next - tonumber(ARGV[3])
if drop > 0 then redis.call('HDEL', KEYS[2], drop) end
return {next, current, 0}`,
);

/**
 * The versioned configuration in Redis: numbered, immutable versions with their checksums, who
 * changed them, when and why; the current version; a history of `historyLength` versions. Exactly
 * one version follows each base version, however many writers race (compare-and-set in a script).
 */
export class ConfigStore {
  private readonly redis: RedisClient;
  private readonly keys: { current: string; versions: string; applied: string; requests: string };

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly historyLength = 50,
  ) {
    this.redis = redis;
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

  /**
   * Commits `config` as the version after `base` ('*': whatever is current; used for the seed). With
   * a `requestId`, a request that already committed gets its version back instead (`replayed`).
   */
  async commit(
    base: number | '*',
    config: SystemConfig,
    meta: { changedBy: string; reason: string; requestId?: string },
  ): Promise<CommitResult> {
    const record: Omit<ConfigVersion, 'version'> = {
      checksum: configChecksum(config),
      config,
      changed_by: meta.changedBy,
      changed_at: new Date().toISOString(),
      reason: meta.reason,
    };
    const [version, current, replayed] = await COMMIT.run(
      this.redis,
      [this.keys.current, this.keys.versions, `${this.keys.requests}:${meta.requestId ?? '-'}:version`],
      [String(base), JSON.stringify(record), this.historyLength, meta.requestId ?? ''],
    );
    if (version === -1) return { ok: false, reason: 'stale', current };
    if (replayed === 1) {
      const stored = await this.get(version);
      return { ok: true, version: stored ?? { ...record, version }, replayed: true };
    }
    return { ok: true, version: { ...record, version }, replayed: false };
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
