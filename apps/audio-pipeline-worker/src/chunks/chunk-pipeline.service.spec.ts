import {
  ServiceUnavailableError,
  type AudioChunkReceived,
  type EventEnvelope,
  type TranscriptionCompleted,
} from '@livetranslate/contracts';
import { loadEnv, MetricsRegistry, type DownstreamClients } from '@livetranslate/service-kit';
import type {
  AudioStorage,
  FinishedChunk,
  SessionCompletion,
  SessionEventLog,
  SessionResults,
} from '@livetranslate/session-store';
import { WorkerEnv } from '../config/env.js';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { ChunkPipeline } from './chunk-pipeline.service.js';
import { ChunkTranslator } from './chunk-translator.js';

const chunk: AudioChunkReceived = {
  session_id: 's',
  chunk_id: 's:1',
  seq: 1,
  tenant_id: 't',
  source_type: 'websocket',
  storage_uri: 'redis://lt:session:{s}:audio:1',
  content_type: 'audio/wav',
  audio_config: { sample_rate: 16000, channels: 1, encoding: 'wav' },
  start_ms: 2500,
  duration_ms: 3000,
  overlap_ms: 500,
  trailing_overlap_ms: 500,
  processing_flags: { transcribe: true, diarize: false, translate: true, target_languages: ['es'] },
};

/** Fakes for the I/O around the pipeline; the logic under test is the pipeline's own. */
function harness(
  options: {
    logged?: TranscriptionCompleted;
    translationLogged?: boolean;
    whisperFails?: boolean;
    translationFails?: boolean;
    /** ms each target language's translation takes */
    translationDelays?: Record<string, number>;
    /** A translation call failing with something that is not a model's answer. */
    translationBreaks?: Error;
    transcriptWriteFails?: Error;
  } = {},
) {
  const calls = { transcribe: 0, translate: 0, slotReads: 0 };
  // How many translations had been asked for when the transcript's write began.
  let translationsAtTranscriptWrite: number | undefined;
  const written: Array<{ slot: string; type: string; payload: Record<string, unknown>; last?: boolean }> = [];
  const models = {
    speech: {
      transcribe: async () => {
        calls.transcribe++;
        // Two requests were sent (the configured maximum is 3): the event reports what happened.
        if (options.whisperFails)
          throw Object.assign(new ServiceUnavailableError('whisper', 'http_503', 'down', 503), {
            attempts: 2,
          });
        return {
          text: 'x',
          language: 'en',
          confidence: 1,
          model: 'whisper-base',
          processingMs: 1,
          // Relative to the chunk: 50–350 is in the leading half-overlap (previous chunk's word).
          segments: [
            { startMs: 50, endMs: 350, text: 'earlier', confidence: 1 },
            { startMs: 1000, endMs: 1300, text: 'hello', confidence: 0.9 },
          ],
        };
      },
    },
    translation: {
      translate: async ({ text, targetLanguage }: { text: string; targetLanguage: string }) => {
        calls.translate++;
        const delay = options.translationDelays?.[targetLanguage];
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
        if (options.translationBreaks) throw options.translationBreaks;
        if (options.translationFails)
          throw Object.assign(new ServiceUnavailableError('translation', 'http_503', 'down', 503), {
            attempts: 3,
          });
        return {
          translatedText: `${targetLanguage}(${text})`,
          sourceLanguage: 'en',
          targetLanguage,
          confidence: 1,
          backend: 'b',
          processingMs: 1,
        };
      },
    },
  } as unknown as DownstreamClients;
  const storage: AudioStorage = {
    put: async () => '',
    uriOf: () => '',
    get: async () => Buffer.from('RIFF'),
    getChunk: async () => null,
    putDraft: async () => '',
  };
  const log = {
    slotEntry: async (_session: string, slot: string) => {
      calls.slotReads++;
      if (slot === 't:1' && options.logged)
        return { id: '1-0', envelope: { payload: options.logged } as unknown as EventEnvelope };
      return slot === 'x:1:es' && options.translationLogged
        ? { id: '2-0', envelope: { payload: {} } as unknown as EventEnvelope }
        : null;
    },
  } as unknown as SessionEventLog;
  const results = {
    write: async (_session: string, slot: string, type: string, payload: Record<string, unknown>) => {
      if (type === 'TranscriptionCompleted') {
        translationsAtTranscriptWrite = calls.translate;
        if (options.transcriptWriteFails) throw options.transcriptWriteFails;
      }
      written.push({ slot, type, payload });
      return `${written.length}-0`;
    },
  } as unknown as SessionResults;
  // Every chunk recorded as finished, and those recorded by a separate settle (not with a write).
  const finished: FinishedChunk[] = [];
  const settled: FinishedChunk[] = [];
  const completion = {
    settle: async (_session: string, chunk: FinishedChunk) => {
      finished.push(chunk);
      settled.push(chunk);
    },
    writeLast: async (
      _session: string,
      slot: string,
      type: string,
      payload: Record<string, unknown>,
      chunk: FinishedChunk,
    ) => {
      written.push({ slot, type, payload, last: true });
      finished.push(chunk);
    },
  } as unknown as SessionCompletion;
  const metrics = new PipelineMetrics(new MetricsRegistry());
  const pipeline = new ChunkPipeline(
    loadEnv(WorkerEnv, {}),
    storage,
    models,
    log,
    results,
    completion,
    new ChunkTranslator(models, log, metrics),
    metrics,
  );
  return {
    pipeline,
    calls,
    written,
    finished,
    settled,
    translationsAtTranscriptWrite: () => translationsAtTranscriptWrite,
  };
}

describe('ChunkPipeline', () => {
  it('on a first delivery calls the models without reading the log, with absolute, overlap-free segments', async () => {
    const { pipeline, calls, written, finished, settled } = harness();
    await pipeline.process(chunk, new Date().toISOString(), 1);
    expect(calls).toEqual({ transcribe: 1, translate: 1, slotReads: 0 });
    // The last result records the chunk finished in the same step: no separate settle.
    expect(finished).toEqual([{ seq: 1, failed: false }]);
    expect(settled).toEqual([]);
    expect(written.map((w) => [w.slot, w.type, w.last ?? false])).toEqual([
      ['t:1', 'TranscriptionCompleted', false],
      ['x:1:es', 'TranslationCompleted', true],
    ]);
    expect(written[0]!.payload).toMatchObject({
      text: 'hello',
      segments: [{ start_ms: 3500, end_ms: 3800, text: 'hello' }],
    });
    expect(written[1]!.payload).toMatchObject({ translated_text: 'es(hello)', target_language: 'es' });
  });

  it('asks for every language at once, while the transcript is written, and writes the results in order', async () => {
    const { pipeline, written, finished, translationsAtTranscriptWrite } = harness({
      // The first language answers last: the writes still follow the session's language order.
      translationDelays: { es: 40, fr: 20, de: 0 },
    });
    const threeLanguages = {
      ...chunk,
      processing_flags: { ...chunk.processing_flags, target_languages: ['es', 'fr', 'de'] },
    };
    await pipeline.process(threeLanguages, new Date().toISOString(), 1);
    expect(translationsAtTranscriptWrite()).toBe(3);
    expect(written.map((w) => [w.slot, w.last ?? false, w.payload.translated_text])).toEqual([
      ['t:1', false, undefined],
      ['x:1:es', false, 'es(hello)'],
      ['x:1:fr', false, 'fr(hello)'],
      ['x:1:de', true, 'de(hello)'],
    ]);
    expect(finished).toEqual([{ seq: 1, failed: false }]);
  });

  it('fails the delivery on a translation error that is not the model answering, writing nothing for it', async () => {
    const broken = new Error('Connection is closed.');
    const { pipeline, written, finished } = harness({ translationBreaks: broken });
    await expect(pipeline.process(chunk, new Date().toISOString(), 1)).rejects.toBe(broken);
    expect(written.map((w) => w.slot)).toEqual(['t:1']);
    expect(finished).toEqual([]);
  });

  it('leaves no unhandled rejection behind when the transcript write fails while translations run', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const writeFailure = new Error('READONLY');
      const { pipeline, written } = harness({
        transcriptWriteFails: writeFailure,
        translationBreaks: new Error('Connection is closed.'),
        translationDelays: { es: 20 },
      });
      await expect(pipeline.process(chunk, new Date().toISOString(), 1)).rejects.toBe(writeFailure);
      // The translation's own failure lands after the delivery gave up.
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(unhandled).toEqual([]);
      expect(written).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('on a redelivery reuses the logged transcription instead of calling Whisper again', async () => {
    const logged = {
      seq: 1,
      text: 'logged words',
      language: 'en',
      segments: [],
    } as unknown as TranscriptionCompleted;
    const { pipeline, calls, written } = harness({ logged });
    await pipeline.process(chunk, new Date().toISOString(), 2);
    expect(calls.transcribe).toBe(0);
    expect(calls.translate).toBe(1);
    expect(written).toEqual([
      expect.objectContaining({ slot: 'x:1:es', payload: expect.objectContaining({ text: 'logged words' }) }),
    ]);
  });

  it('turns a model failing after its retries into a ProcessingFailed naming the stage and the attempts made', async () => {
    const { pipeline, written, finished, settled } = harness({ whisperFails: true });
    await pipeline.process(chunk, new Date().toISOString(), 1);
    expect(finished).toEqual([{ seq: 1, failed: true }]);
    expect(settled).toEqual([]);
    expect(written).toEqual([
      expect.objectContaining({
        slot: 'f:1:transcription',
        type: 'ProcessingFailed',
        last: true,
        payload: expect.objectContaining({ stage: 'transcription', error_code: 'http_503', attempts: 2 }),
      }),
    ]);
  });

  it('records a chunk whose last translation failed as failed, with that failure', async () => {
    const { pipeline, written, finished, settled } = harness({ translationFails: true });
    await pipeline.process(chunk, new Date().toISOString(), 1);
    expect(written.map((w) => [w.slot, w.type, w.last ?? false])).toEqual([
      ['t:1', 'TranscriptionCompleted', false],
      ['f:1:translation:es', 'ProcessingFailed', true],
    ]);
    expect(finished).toEqual([{ seq: 1, failed: true }]);
    expect(settled).toEqual([]);
  });

  it('on a redelivery whose results are all in the log writes nothing and records the chunk finished', async () => {
    const logged = {
      seq: 1,
      text: 'logged',
      language: 'en',
      segments: [],
    } as unknown as TranscriptionCompleted;
    const { pipeline, calls, written, settled } = harness({ logged, translationLogged: true });
    await pipeline.process(chunk, new Date().toISOString(), 2);
    expect(calls).toMatchObject({ transcribe: 0, translate: 0 });
    expect(written).toEqual([]);
    expect(settled).toEqual([{ seq: 1, failed: false }]);
  });

  it('gives a chunk up as a ProcessingFailed and a failed chunk of its session', async () => {
    const { pipeline, written, finished } = harness();
    await pipeline.giveUp(chunk, new Error('Connection is closed.'), 5);
    expect(written).toEqual([
      expect.objectContaining({
        slot: 'f:1:transcription',
        type: 'ProcessingFailed',
        payload: expect.objectContaining({
          error_code: 'dead_lettered',
          attempts: 5,
          message: 'gave up after 5 deliveries: Connection is closed.',
        }),
      }),
    ]);
    expect(finished).toEqual([{ seq: 1, failed: true }]);
  });
});
