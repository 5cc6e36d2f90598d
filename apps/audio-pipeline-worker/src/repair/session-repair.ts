import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  partitionedStreamOf,
  QUEUE_NAMES,
  SESSION_FIELDS,
  sessionKeys,
  type AudioChunkReceived,
} from '@livetranslate/contracts';
import { ManagedRedis, StreamEventPublisher } from '@livetranslate/redis-streams';
import { JobQueues } from '@livetranslate/service-kit';
import { RESULT_SLOTS, SessionCompletion, SessionResults } from '@livetranslate/session-store';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';

const PAGE = 1_000;

/**
 * Some time after a session's input ended (SESSION_REPAIR_AFTER_MS), makes sure every chunk it
 * reserved gets finished: a chunk recorded but never finished (its event died with its replica, or
 * is stuck) is published again — the pipeline writes each result once, so a repeat costs only work —
 * and a chunk reserved with nothing recorded (its replica died before storing it) is reported as a
 * ProcessingFailed (`chunk_lost`). Either way the session can complete.
 */
@Injectable()
export class SessionRepair implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionRepair.name);

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    private readonly jobs: JobQueues,
    private readonly redis: ManagedRedis,
    @Inject(StreamEventPublisher) private readonly publisher: StreamEventPublisher,
    @Inject(SessionResults) private readonly results: SessionResults,
    @Inject(SessionCompletion) private readonly completion: SessionCompletion,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.worker<{ sessionId: string }>(
      QUEUE_NAMES.sessionRepair,
      (job) => this.repair(job.data.sessionId),
      {
        concurrency: 4,
      },
    );
  }

  /** Returns what it did: chunks published again, and chunks reported lost. */
  async repair(sessionId: string): Promise<{ republished: number[]; lost: number[] }> {
    const keys = sessionKeys(this.env.REDIS_KEY_PREFIX, sessionId);
    const redis = this.redis.redis;
    const meta = await redis.hgetall(keys.meta);
    const outcome = { republished: [] as number[], lost: [] as number[] };
    if (meta[SESSION_FIELDS.status] !== 'ended') return outcome; // gone, or (oddly) still open
    const total = Number(meta[SESSION_FIELDS.nextSeq] ?? 0);
    for (let from = 0; from < total; from += PAGE) {
      const seqs = Array.from({ length: Math.min(PAGE, total - from) }, (_, i) => from + i);
      const finished = await redis.hmget(keys.results, ...seqs.map((seq) => `d:${seq}`));
      for (const [i, seq] of seqs.entries()) {
        if (finished[i] !== null) continue;
        const recorded = meta[SESSION_FIELDS.inFlightChunk(seq)];
        if (recorded) {
          const chunk = JSON.parse(recorded) as AudioChunkReceived;
          await this.publisher.publish('AudioChunkReceived', chunk, {
            stream: partitionedStreamOf(
              this.env.EVENT_STREAM_AUDIO,
              sessionId,
              this.env.AUDIO_INGEST_PARTITIONS,
            ),
          });
          outcome.republished.push(seq);
        } else {
          await this.results.write(sessionId, RESULT_SLOTS.failure(seq, 'storage'), 'ProcessingFailed', {
            session_id: sessionId,
            chunk_id: `${sessionId}:${seq}`,
            seq,
            stage: 'storage',
            error_code: 'chunk_lost',
            message: 'the chunk was lost with the replica that was storing it',
            attempts: 0,
          });
          await this.completion.settle(sessionId, { seq, failed: true });
          outcome.lost.push(seq);
        }
      }
    }
    if (outcome.republished.length || outcome.lost.length)
      this.logger.warn(
        `session ${sessionId}: republished chunks [${outcome.republished.join(', ')}], lost [${outcome.lost.join(', ')}]`,
      );
    return outcome;
  }
}
