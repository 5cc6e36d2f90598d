/** What intake needs to know from the app's environment. */
export interface IngestSettings {
  /** REDIS_KEY_PREFIX: session records and chunk audio live under it. */
  keyPrefix: string;
  /** How long a session record lives after its last write. */
  sessionTtlSeconds: number;
  /** How long a chunk's audio waits in Redis for a worker. */
  audioTtlSeconds: number;
  /** Client-paced chunks one session may send per second. */
  maxChunksPerSecond: number;
  /** Sessions a tenant may have open at once. */
  maxOpenSessionsPerTenant: number;
}

export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
