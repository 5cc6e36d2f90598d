import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ServiceError,
  type AudioChunkReceived,
  type EventPayload,
  type EventType,
  type ProcessingStage,
  type TranscriptionCompleted,
  type TranscriptSegment,
} from '@livetranslate/contracts';
import {
  RESULT_SLOTS,
  SessionCompletion,
  SessionEventLog,
  SessionResults,
  type AudioStorage,
} from '@livetranslate/session-store';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { AUDIO_STORAGE, DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { nameSpeakers } from './speaker-naming.js';
import { ownedSegments } from './overlap-filter.js';
import { ChunkTranslator, type TranslationOutcome } from './chunk-translator.js';

/**
 * One chunk through the models: audio → Whisper → TranscriptionCompleted (absolute times, overlap
 * removed) → one TranslationCompleted per target language. Each result is appended once; a
 * redelivered chunk reuses what is already in the log instead of calling the models again.
 * A model still failing after the SDK's retries becomes a ProcessingFailed the client sees. A chunk
 * whose processing is over is counted towards its session's completion.
 */
@Injectable()
export class ChunkPipeline {
  private readonly logger = new Logger(ChunkPipeline.name);

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    @Inject(SessionResults) private readonly results: SessionResults,
    @Inject(SessionCompletion) private readonly completion: SessionCompletion,
    private readonly translator: ChunkTranslator,
    private readonly metrics: PipelineMetrics,
  ) {}

  /**
   * `deliveries` > 1 means an earlier attempt may have written results: only then is the log
   * consulted first. A first delivery skips those reads; the append-once script still guarantees
   * one result per slot if two copies of a chunk race.
   */
  async process(chunk: AudioChunkReceived, receivedAt: string, deliveries = 1): Promise<void> {
    const queuedMs = Math.max(0, Date.now() - Date.parse(receivedAt));
    const redelivered = deliveries > 1;
    const languages = chunk.processing_flags.translate
      ? [...new Set(chunk.processing_flags.target_languages)]
      : [];
    // What this delivery wrote; its last write also records the chunk finished (see ChunkWrites).
    const writes: ChunkWrites = { failed: false, recorded: false };
    const logged = redelivered ? await this.existingTranscription(chunk) : null;
    const transcription = logged ?? (await this.transcribe(chunk, queuedMs, writes));
    if (transcription) {
      // The translations need only the transcript's text: every language is asked for at once,
      // while the transcript is being appended, so the last result waits for the slowest call
      // rather than for all of them in a row. Results are still written in order, after it.
      const translations = languages.map((language) =>
        this.translator.request(chunk, transcription, language, redelivered),
      );
      if (!logged)
        await this.write(
          chunk,
          RESULT_SLOTS.transcription(chunk.seq),
          'TranscriptionCompleted',
          transcription,
          writes,
          languages.length === 0,
        );
      for (const [i, language] of languages.entries()) {
        await this.writeTranslation(
          chunk,
          transcription,
          language,
          queuedMs,
          await translations[i]!,
          writes,
          i === languages.length - 1,
        );
      }
    }
    this.metrics.chunks.inc({ outcome: writes.failed ? 'failed' : 'completed' });
    // This chunk is over: if the input ended and it was the last one, the session is complete. A
    // redelivery that found its last result written already records it here.
    if (!writes.recorded)
      await this.completion.settle(chunk.session_id, { seq: chunk.seq, failed: writes.failed });
  }

  /**
   * The chunk failed on every delivery (Redis or storage trouble, not a model's answer): its
   * session gets a ProcessingFailed for it and counts it as failed, so it can still complete.
   */
  async giveUp(chunk: AudioChunkReceived, error: unknown, deliveries: number): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.fail(
      chunk,
      'transcription',
      'dead_lettered',
      `gave up after ${deliveries} deliveries: ${message}`,
      deliveries,
      { failed: false, recorded: false },
      true,
    );
  }

  private async existingTranscription(chunk: AudioChunkReceived): Promise<TranscriptionCompleted | null> {
    const entry = await this.log.slotEntry(chunk.session_id, RESULT_SLOTS.transcription(chunk.seq));
    return entry ? (entry.envelope.payload as TranscriptionCompleted) : null;
  }

  /** The transcript, not yet written; a failure is written (as the chunk's last write) instead. */
  private async transcribe(
    chunk: AudioChunkReceived,
    queuedMs: number,
    writes: ChunkWrites,
  ): Promise<TranscriptionCompleted | null> {
    const audio = await this.storage.get(chunk.storage_uri);
    if (!audio) {
      await this.fail(
        chunk,
        'storage',
        'audio_missing',
        `chunk audio at ${chunk.storage_uri} is gone (expired or never stored)`,
        1,
        writes,
        true,
      );
      return null;
    }
    const started = performance.now();
    const flags = chunk.processing_flags;
    let result;
    try {
      result = await this.models.speech.transcribe({
        audio,
        contentType: chunk.content_type,
        filename: `${chunk.chunk_id}.wav`,
        ...(flags.source_language && flags.source_language !== 'auto'
          ? { language: flags.source_language }
          : {}),
        enableDiarization: flags.diarize,
        sessionId: chunk.session_id,
      });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error; // infrastructure: let the bus redeliver
      await this.fail(chunk, 'transcription', error.code, error.message, error.attempts, writes, true);
      return null;
    }
    const whisperMs = performance.now() - started;
    this.metrics.stageSeconds.observe({ stage: 'transcription' }, whisperMs / 1000);
    const absolute: TranscriptSegment[] = result.segments.map((s) => ({
      start_ms: chunk.start_ms + s.startMs,
      end_ms: chunk.start_ms + s.endMs,
      text: s.text,
      confidence: clamp01(s.confidence),
      ...(s.speaker ? { speaker: s.speaker } : {}),
    }));
    const segments = nameSpeakers(ownedSegments(absolute, chunk), chunk.speakers);
    const payload: TranscriptionCompleted = {
      session_id: chunk.session_id,
      chunk_id: chunk.chunk_id,
      seq: chunk.seq,
      text: segments.map((s) => s.text).join(' '),
      language: result.language,
      confidence: segments.length
        ? clamp01(segments.reduce((sum, s) => sum + s.confidence, 0) / segments.length)
        : 0,
      segments,
      model: result.model,
      timings: { queued_ms: round(queuedMs), whisper_ms: round(whisperMs), service_ms: result.processingMs },
    };
    return payload;
  }

  /** Writes a translation, or a ProcessingFailed; `last` when it is the chunk's last write. */
  private async writeTranslation(
    chunk: AudioChunkReceived,
    transcription: TranscriptionCompleted,
    language: string,
    queuedMs: number,
    outcome: TranslationOutcome,
    writes: ChunkWrites,
    last: boolean,
  ): Promise<void> {
    switch (outcome.kind) {
      case 'logged':
        return;
      case 'error':
        throw outcome.error; // infrastructure: let the bus redeliver
      case 'failed': {
        const { code, message, attempts } = outcome.error;
        return this.fail(chunk, 'translation', code, message, attempts, writes, last, language);
      }
    }
    await this.write(
      chunk,
      RESULT_SLOTS.translation(chunk.seq, language),
      'TranslationCompleted',
      {
        session_id: chunk.session_id,
        chunk_id: chunk.chunk_id,
        seq: chunk.seq,
        source_language: transcription.language,
        target_language: language,
        text: transcription.text,
        translated_text: outcome.text,
        confidence: clamp01(outcome.confidence),
        backend: outcome.backend,
        timings: {
          queued_ms: round(queuedMs),
          translation_ms: round(outcome.translationMs),
          service_ms: outcome.serviceMs,
        },
      },
      writes,
      last,
    );
  }

  private async fail(
    chunk: AudioChunkReceived,
    stage: ProcessingStage,
    code: string,
    message: string,
    attempts: number,
    writes: ChunkWrites,
    last: boolean,
    language?: string,
  ): Promise<void> {
    this.logger.warn(
      `chunk ${chunk.chunk_id} failed at ${stage}${language ? ` (${language})` : ''}: ${message}`,
    );
    writes.failed = true;
    await this.write(
      chunk,
      RESULT_SLOTS.failure(chunk.seq, stage, language),
      'ProcessingFailed',
      {
        session_id: chunk.session_id,
        chunk_id: chunk.chunk_id,
        seq: chunk.seq,
        stage,
        error_code: code,
        message,
        attempts,
        ...(language ? { target_language: language } : {}),
      },
      writes,
      last,
    );
  }

  /** Appends a result; as the chunk's `last` write, records the chunk finished with it. */
  private async write<T extends EventType>(
    chunk: AudioChunkReceived,
    slot: string,
    type: T,
    payload: EventPayload<T>,
    writes: ChunkWrites,
    last: boolean,
  ): Promise<void> {
    if (!last) {
      await this.results.write(chunk.session_id, slot, type, payload);
      return;
    }
    await this.completion.writeLast(chunk.session_id, slot, type, payload, {
      seq: chunk.seq,
      failed: writes.failed,
    });
    writes.recorded = true;
  }
}

/**
 * What one delivery of a chunk wrote: `failed` when any of it is a ProcessingFailed, `recorded`
 * once its last write also recorded the chunk finished (`SessionCompletion.writeLast`: one round
 * trip where a write and a separate settle took two; a redelivery may skip that write).
 */
interface ChunkWrites {
  failed: boolean;
  recorded: boolean;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
