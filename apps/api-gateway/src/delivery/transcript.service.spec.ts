import { createEnvelope, type EventPayload, type EventType } from '@livetranslate/contracts';
import type { LogEntry } from '@livetranslate/session-store';
import { SESSION_DEFAULTS } from '@livetranslate/ingest';
import { sessionRecord } from '../../test/support/session-record.js';
import { TranscriptAssembler } from './transcript.service.js';

let id = 0;
function entry<T extends EventType>(type: T, payload: EventPayload<T>): LogEntry {
  id++;
  return {
    id: `${id}-0`,
    envelope: createEnvelope(type, payload, { source: 'test' }) as LogEntry['envelope'],
  };
}

const chunk = (seq: number) => ({ session_id: 's', chunk_id: `s:${seq}`, seq });
const transcribed = (seq: number, text: string, start: number) =>
  entry('TranscriptionCompleted', {
    ...chunk(seq),
    text,
    language: 'en',
    confidence: 1,
    segments: text ? [{ start_ms: start, end_ms: start + 300, text, confidence: 1 }] : [],
    model: 'm',
    timings: { queued_ms: 0, whisper_ms: 0 },
  });
const translated = (seq: number, language: string, text: string) =>
  entry('TranslationCompleted', {
    ...chunk(seq),
    source_language: 'en',
    target_language: language,
    text: '',
    translated_text: text,
    confidence: 1,
    backend: 'b',
    timings: { queued_ms: 0, translation_ms: 0 },
  });
const failed = (seq: number, stage: 'transcription' | 'translation', language?: string) =>
  entry('ProcessingFailed', {
    ...chunk(seq),
    stage,
    error_code: 'x',
    message: 'm',
    attempts: 1,
    ...(language ? { target_language: language } : {}),
  });
const ended = (total: number) => entry('SessionEnded', { session_id: 's', total_chunks: total, reason: 'r' });
const completed = (total: number, failedChunks: number) =>
  entry('SessionCompleted', {
    session_id: 's',
    total_chunks: total,
    completed_chunks: total - failedChunks,
    failed_chunks: failedChunks,
    audio_ms: total * 3000,
  });

const session = sessionRecord({
  id: 's',
  tenantId: 't',
  status: 'ended',
  createdAt: '',
  chunks: 3,
  options: { ...SESSION_DEFAULTS, target_languages: ['es'] },
});

describe('TranscriptAssembler', () => {
  it('orders chunks by seq whatever order their results arrived in', () => {
    const assembler = new TranscriptAssembler(['es']);
    for (const e of [
      transcribed(1, 'world', 3000),
      translated(1, 'es', 'mundo'),
      transcribed(0, 'hello', 200),
      translated(0, 'es', 'hola'),
    ]) {
      assembler.add(e);
    }
    const view = assembler.view(session);
    expect(view.text).toBe('hello world');
    expect(view.segments.map((s) => s.text)).toEqual(['hello', 'world']);
    expect(view.translations.es).toEqual({
      text: 'hola mundo',
      chunks: [
        { seq: 0, text: 'hola' },
        { seq: 1, text: 'mundo' },
      ],
    });
  });

  it('is complete once the session says so (SessionCompleted), not before', () => {
    const assembler = new TranscriptAssembler(['es']);
    assembler.add(transcribed(0, 'hello', 200));
    assembler.add(translated(0, 'es', 'hola'));
    assembler.add(failed(1, 'transcription'));
    assembler.add(ended(3));
    assembler.add(transcribed(2, '', 6000));
    assembler.add(failed(2, 'translation', 'es'));
    expect(assembler.complete).toBe(false); // every result is in, but the session has not said so
    assembler.add(completed(3, 2));
    expect(assembler.complete).toBe(true);
    const view = assembler.view(session);
    expect(view.chunks).toEqual({ accepted: 3, transcribed: 2, failed: 2 });
    expect(view.failures.map((f) => [f.seq, f.stage])).toEqual([
      [1, 'transcription'],
      [2, 'translation'],
    ]);
  });
});
