import type { RedisClient } from '@livetranslate/redis-streams';
import { sessionKeys } from '@livetranslate/contracts';

/**
 * Where chunk audio lives between the gateway and the worker. Events carry only the URI, so an
 * object store can replace Redis without touching the event contract.
 */
export interface AudioStorage {
  put(sessionId: string, seq: number, bytes: Uint8Array, ttlSeconds: number): Promise<string>;
  /** The URI `put` stores a session's chunk under, known beforehand (an event can be built meanwhile). */
  uriOf(sessionId: string, seq: number): string;
  /** The bytes, or null when they expired or never existed. */
  get(uri: string): Promise<Buffer | null>;
  /** A session's chunk by number, or null when it expired or never existed. */
  getChunk(sessionId: string, seq: number): Promise<Buffer | null>;
  /** The session's newest draft audio, replacing the one before (drafts are worth only the latest). */
  putDraft(sessionId: string, bytes: Uint8Array, ttlSeconds: number): Promise<string>;
}

const SCHEME = 'redis://';

/** Audio in Redis binary keys with a TTL; URIs look like `redis://lt:session:{id}:audio:3`. */
export class RedisAudioStorage implements AudioStorage {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  put(sessionId: string, seq: number, bytes: Uint8Array, ttlSeconds: number): Promise<string> {
    return this.store(sessionKeys(this.prefix, sessionId).chunkAudio(seq), bytes, ttlSeconds);
  }

  uriOf(sessionId: string, seq: number): string {
    return `${SCHEME}${sessionKeys(this.prefix, sessionId).chunkAudio(seq)}`;
  }

  putDraft(sessionId: string, bytes: Uint8Array, ttlSeconds: number): Promise<string> {
    return this.store(sessionKeys(this.prefix, sessionId).draftAudio, bytes, ttlSeconds);
  }

  private async store(key: string, bytes: Uint8Array, ttlSeconds: number): Promise<string> {
    await this.redis.set(
      key,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      'EX',
      ttlSeconds,
    );
    return `${SCHEME}${key}`;
  }

  async get(uri: string): Promise<Buffer | null> {
    if (!uri.startsWith(SCHEME)) throw new Error(`unsupported storage URI: ${uri}`);
    const key = uri.slice(SCHEME.length);
    if (!key.startsWith(`${this.prefix}:`))
      throw new Error(`storage URI outside this deployment's key prefix: ${uri}`);
    return this.redis.getBuffer(key);
  }

  getChunk(sessionId: string, seq: number): Promise<Buffer | null> {
    return this.redis.getBuffer(sessionKeys(this.prefix, sessionId).chunkAudio(seq));
  }
}
