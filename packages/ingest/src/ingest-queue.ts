import { Inject, Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, partitionedStreamOf } from '@livetranslate/contracts';
import { ManagedRedis, StreamRetention } from '@livetranslate/redis-streams';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';

/** A consumer that has not read for this long is not counted as working. */
const ACTIVE_WITHIN_MS = 15_000;

/** The audio workers' queue that a session's chunks wait in (its ingest partition). */
export interface IngestQueueView {
  /** Chunks (of every session on the partition) not yet handed to a worker; null when Redis cannot tell. */
  waiting: number | null;
  /** Chunks handed to a worker and not finished yet. */
  in_progress: number;
  /** Audio workers that read the partition within the last 15 s: 0 means nothing is consuming it. */
  workers: number;
}

/** Reads how much ingest work is queued on a session's partition and whether workers are taking it. */
@Injectable()
export class IngestQueue {
  private readonly retention: StreamRetention;

  constructor(
    redis: ManagedRedis,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {
    this.retention = new StreamRetention(redis.redis);
  }

  async of(sessionId: string): Promise<IngestQueueView> {
    const stream = partitionedStreamOf(this.settings.ingestStream, sessionId, this.settings.ingestPartitions);
    const group = CONSUMER_GROUPS.audioPipeline;
    const [backlog, workers] = await Promise.all([
      this.retention.backlog(stream, group),
      this.retention.activeConsumers(stream, group, ACTIVE_WITHIN_MS),
    ]);
    return { waiting: backlog.waiting, in_progress: backlog.pending, workers };
  }
}
