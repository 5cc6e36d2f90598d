import type { Redis } from 'ioredis';

export type MarkerClaim = 'acquired' | 'done' | 'busy';

const DONE = 'done';

// Delete or extend a lease only while it is still ours; another consumer may hold it by now.
const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * Per-group, per-event markers that make redelivery harmless: a marker is a lease while a handler
 * runs and becomes `done` (with a TTL) once it succeeded. One key per event, so it works unchanged
 * on a Redis Cluster.
 */
export class IdempotencyMarkers {
  /** event key → lease token, for the leases this process holds. */
  private readonly leases = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private markerKey(group: string, eventId: string): string {
    return `${this.prefix}:done:${group}:${eventId}`;
  }

  private errorKey(group: string, stream: string, entryId: string): string {
    return `${this.prefix}:error:${group}:${stream}:${entryId}`;
  }

  /** Takes the lease for an event, or says it is already done or running elsewhere. */
  async begin(group: string, eventId: string, token: string, leaseMs: number): Promise<MarkerClaim> {
    const key = this.markerKey(group, eventId);
    const set = await this.redis.set(key, token, 'PX', leaseMs, 'NX');
    if (set === 'OK') {
      this.leases.set(key, token);
      return 'acquired';
    }
    const current = await this.redis.get(key);
    if (current === DONE) return 'done';
    if (current === token) {
      this.leases.set(key, token);
      return 'acquired';
    }
    return 'busy';
  }

  async complete(group: string, eventId: string, ttlSeconds: number): Promise<void> {
    const key = this.markerKey(group, eventId);
    await this.redis.set(key, DONE, 'EX', ttlSeconds);
    this.leases.delete(key);
  }

  async release(group: string, eventId: string, token: string): Promise<void> {
    const key = this.markerKey(group, eventId);
    this.leases.delete(key);
    await this.redis.eval(RELEASE_IF_OWNER, 1, key, token);
  }

  async extendLeases(leaseMs: number): Promise<void> {
    if (this.leases.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, token] of this.leases) pipeline.eval(EXTEND_IF_OWNER, 1, key, token, leaseMs);
    await pipeline.exec();
  }

  async recordError(group: string, stream: string, entryId: string, message: string, ttlSeconds: number) {
    await this.redis.set(this.errorKey(group, stream, entryId), message.slice(0, 2_000), 'EX', ttlSeconds);
  }

  async lastError(group: string, stream: string, entryId: string): Promise<string | null> {
    return this.redis.get(this.errorKey(group, stream, entryId));
  }
}
