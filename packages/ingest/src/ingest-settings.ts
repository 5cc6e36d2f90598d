/** What intake needs to know from the app's environment. */
export interface IngestSettings {
  /** REDIS_KEY_PREFIX: session records and chunk audio live under it. */
  keyPrefix: string;
  /** How long a session record lives after its last write. */
  sessionTtlSeconds: number;
  /** How long a chunk's audio waits in Redis for a worker. */
  audioTtlSeconds: number;
  /** EVENT_STREAM_AUDIO and AUDIO_INGEST_PARTITIONS: where a session's chunks are published. */
  ingestStream: string;
  ingestPartitions: number;
  /** EVENT_STREAM_AUDIO_DRAFTS and DRAFT_INTERVAL_MS (0: no drafts): where and how often live audio goes for drafts. */
  draftStream: string;
  draftIntervalMs: number;
  /** SESSION_REPAIR_AFTER_MS: how long after the end of input its chunks are checked. */
  repairAfterMs: number;
}
// Limits (open sessions, chunks per second) and session defaults come from the stored
// configuration (ConfigFollower), so they change at run time.

export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
