import { Inject, Injectable } from '@nestjs/common';
import { ServiceError, type AudioChunkReceived, type TranscriptionCompleted } from '@livetranslate/contracts';
import { DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { RESULT_SLOTS, SessionEventLog } from '@livetranslate/session-store';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';

/** What asking for one translation came to: its result, a model failure, or already in the log. */
export type TranslationOutcome =
  | {
      kind: 'translated';
      text: string;
      confidence: number;
      backend: string;
      serviceMs: number;
      translationMs: number;
    }
  | { kind: 'failed'; error: ServiceError }
  | { kind: 'logged' }
  /** Not the model's answer (a bug, Redis trouble): the chunk's delivery fails and is retried. */
  | { kind: 'error'; error: unknown };

/** Asks the translation service for one language of a chunk's transcript. */
@Injectable()
export class ChunkTranslator {
  constructor(
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    private readonly metrics: PipelineMetrics,
  ) {}

  /**
   * Asked for now, written by the caller later, in order: so it never rejects, and a call still
   * running when an earlier write fails leaves no unhandled rejection behind. A redelivery first
   * looks for the translation in the log.
   */
  async request(
    chunk: AudioChunkReceived,
    transcription: TranscriptionCompleted,
    language: string,
    redelivered: boolean,
  ): Promise<TranslationOutcome> {
    try {
      const slot = RESULT_SLOTS.translation(chunk.seq, language);
      if (redelivered && (await this.log.slotEntry(chunk.session_id, slot))) return { kind: 'logged' };
      const started = performance.now();
      let translated = { text: '', confidence: 1, backend: 'none', serviceMs: 0 };
      if (transcription.text.trim() !== '') {
        const result = await this.models.translation.translate({
          text: transcription.text,
          sourceLanguage: transcription.language || 'auto',
          targetLanguage: language,
          sessionId: chunk.session_id,
        });
        translated = {
          text: result.translatedText,
          confidence: result.confidence,
          backend: result.backend,
          serviceMs: result.processingMs,
        };
      }
      const translationMs = performance.now() - started;
      this.metrics.stageSeconds.observe({ stage: 'translation' }, translationMs / 1000);
      return { kind: 'translated', ...translated, translationMs };
    } catch (error) {
      return error instanceof ServiceError ? { kind: 'failed', error } : { kind: 'error', error };
    }
  }
}
