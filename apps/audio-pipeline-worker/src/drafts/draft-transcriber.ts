import { Inject, Injectable } from '@nestjs/common';
import {
  CONSUMER_GROUPS,
  partitionedStreamOf,
  ServiceError,
  type AudioDraftReceived,
  type TranscriptionDraft,
} from '@livetranslate/contracts';
import { ManagedRedis, StreamEventPublisher, StreamRetention } from '@livetranslate/redis-streams';
import { AUDIO_STORAGE, DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { RESULT_SLOTS, SessionEventLog, type AudioStorage } from '@livetranslate/session-store';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';

/** How long a partition's measured backlog is trusted before it is read again. */
const LAG_FRESH_MS = 500;

/**
 * Turns draft audio (a live chunk so far) into a TranscriptionDraft for the session's connected
 * clients, when it is still worth it. Drafts are shed first: one older than the newest this worker
 * saw for the session, one whose chunk already has its final, or any while the ingest backlog of
 * the session's partition exceeds DRAFT_SHED_LAG — finals never wait for drafts. A draft that fails
 * is dropped, never retried or reported: the final will come.
 */
@Injectable()
export class DraftTranscriber {
  /** Newest draft number seen per session (forgotten as the map is trimmed). */
  private readonly newest = new Map<string, number>();
  private readonly lag = new Map<string, { at: number; waiting: number }>();
  private readonly retention: StreamRetention;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    @Inject(StreamEventPublisher) private readonly publisher: StreamEventPublisher,
    redis: ManagedRedis,
    metrics: MetricsRegistry,
  ) {
    this.retention = new StreamRetention(redis.redis);
    this.outcomes = new Counter({
      name: 'livetranslate_drafts_total',
      help: 'Draft audio handled, by outcome (sent, or why it was shed)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  async process(draft: AudioDraftReceived): Promise<void> {
    const shed = await this.shedReason(draft);
    if (shed) return void this.outcomes.inc({ outcome: shed });
    const audio = await this.storage.get(draft.storage_uri);
    if (!audio) return void this.outcomes.inc({ outcome: 'audio_gone' });
    let result;
    try {
      result = await this.models.speech.transcribe({
        audio,
        contentType: 'audio/wav',
        filename: `${draft.session_id}-draft-${draft.draft}.wav`,
        ...(draft.source_language ? { language: draft.source_language } : {}),
        enableDiarization: false,
        sessionId: draft.session_id,
      });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return void this.outcomes.inc({ outcome: 'model_failed' });
    }
    // The final may have landed while Whisper worked: a draft must never follow it.
    if (await this.log.slotId(draft.session_id, RESULT_SLOTS.transcription(draft.seq)))
      return void this.outcomes.inc({ outcome: 'final_first' });
    const payload: TranscriptionDraft = {
      session_id: draft.session_id,
      seq: draft.seq,
      draft: draft.draft,
      text: result.segments.map((s) => s.text).join(' ') || result.text,
      start_ms: draft.start_ms,
      end_ms: draft.start_ms + draft.duration_ms,
      ...(result.language ? { language: result.language } : {}),
    };
    await this.log.publishDraft(draft.session_id, this.publisher.envelope('TranscriptionDraft', payload));
    this.outcomes.inc({ outcome: 'sent' });
  }

  private async shedReason(draft: AudioDraftReceived): Promise<string | null> {
    const newest = this.newest.get(draft.session_id) ?? -1;
    if (draft.draft < newest) return 'superseded';
    this.remember(draft.session_id, draft.draft);
    if (await this.log.slotId(draft.session_id, RESULT_SLOTS.transcription(draft.seq))) return 'final_first';
    if ((await this.ingestWaiting(draft.session_id)) > this.env.DRAFT_SHED_LAG) return 'ingest_backlog';
    return null;
  }

  private remember(sessionId: string, draft: number): void {
    this.newest.set(sessionId, draft);
    // Sessions come and go: keep the newest few thousand (a Map iterates oldest first).
    if (this.newest.size > 5_000) this.newest.delete(this.newest.keys().next().value!);
  }

  /** Chunks on the session's ingest partition not yet handed to any worker (measured twice a second). */
  private async ingestWaiting(sessionId: string): Promise<number> {
    const stream = partitionedStreamOf(
      this.env.EVENT_STREAM_AUDIO,
      sessionId,
      this.env.AUDIO_INGEST_PARTITIONS,
    );
    const known = this.lag.get(stream);
    if (known && Date.now() - known.at < LAG_FRESH_MS) return known.waiting;
    const waiting = (await this.retention.backlog(stream, CONSUMER_GROUPS.audioPipeline)).waiting ?? 0;
    this.lag.set(stream, { at: Date.now(), waiting });
    return waiting;
  }
}
