import type { SessionEvent } from '@livetranslate/contracts';
import { frames, speechPcm, speechWav } from './support/audio-fixtures.js';
import { collectUntilComplete, Stack } from './support/stack.js';

const perSeq = (events: SessionEvent[], type: string) => {
  const counts = new Map<number, number>();
  for (const e of events) {
    if (e.event_type === type) {
      const seq = (e.payload as { seq: number }).seq;
      counts.set(seq, (counts.get(seq) ?? 0) + 1);
    }
  }
  return counts;
};

describe('failures on the live path (real processes)', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('6. a worker SIGKILLed mid-stream: another takes over and every chunk gets exactly one transcript', async () => {
    // A slow Whisper keeps chunks in flight on the first worker when it dies.
    stack = await Stack.start({
      whisperEnv: { MOCK_LATENCY_MS: '700' },
      workerEnv: { WORKER_RECLAIM_IDLE_MS: '1500', WORKER_MAX_IN_FLIGHT: '1' },
    });
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'], chunk_ms: 1000, overlap_ms: 200 });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm()), { end: true });
    const events = await collectUntilComplete(connection.events(), ['es'], 90_000, (event) => {
      if (event.event_type === 'TranscriptionCompleted' && stack!.workers.length === 1) {
        // First result is in: the rest of the chunks are queued or in flight on worker-0. Kill it.
        void stack!.workers[0]!.stop('SIGKILL').then(() =>
          stack!.addWorker('worker-1', { WORKER_RECLAIM_IDLE_MS: '1500' }),
        );
      }
    });
    connection.close();
    const total = (events.find((e) => e.event_type === 'SessionEnded')!.payload as { total_chunks: number })
      .total_chunks;
    expect(total).toBeGreaterThanOrEqual(5);
    const transcripts = perSeq(events, 'TranscriptionCompleted');
    expect([...transcripts.keys()].sort((a, b) => a - b)).toEqual([...Array(total).keys()]);
    expect([...transcripts.values()].every((n) => n === 1)).toBe(true);
    expect([...perSeq(events, 'TranslationCompleted').values()].every((n) => n === 1)).toBe(true);
    expect(events.filter((e) => e.event_type === 'ProcessingFailed')).toEqual([]);
    // The survivor took over the chunk the dead worker was holding.
    const metrics = await (await fetch(`${stack.workers[1]!.url}/metrics`)).text();
    const reclaimed = metrics.match(
      /livetranslate_event_bus_entries_total\{counter="reclaimed"[^}]*\} (\d+)/,
    );
    expect(Number(reclaimed?.[1] ?? 0)).toBeGreaterThanOrEqual(1);
    // The log itself holds each result once, whatever was redelivered.
    const log = await stack.log(session.session_id);
    expect(log.filter((e) => e.type === 'TranscriptionCompleted')).toHaveLength(total);
  });

  it('7. with whisper-mock failing every third request, every chunk ends as a result or an explicit ProcessingFailed', async () => {
    stack = await Stack.start({
      // A fixed pattern, not a rate: every run sees failures and successes.
      whisperEnv: { MOCK_FAILURE_EVERY: '3' },
      // One attempt per chunk, so failures surface rather than being retried away.
      workerEnv: { DOWNSTREAM_MAX_ATTEMPTS: '1' },
    });
    const client = stack.client();
    const upload = await client.upload(speechWav(), {
      target_languages: ['fr'],
      chunk_ms: 1000,
      overlap_ms: 0,
    });
    const events = await collectUntilComplete(client.events(upload.session_id), ['fr'], 60_000);
    const total = (events.find((e) => e.event_type === 'SessionEnded')!.payload as { total_chunks: number })
      .total_chunks;
    expect(total).toBeGreaterThanOrEqual(6);
    const failed = events
      .filter((e) => e.event_type === 'ProcessingFailed')
      .map((e) => e.payload as { seq: number; stage: string; error_code: string });
    const transcribed = perSeq(events, 'TranscriptionCompleted');
    for (let seq = 0; seq < total; seq++) {
      const outcomes =
        (transcribed.get(seq) ?? 0) +
        failed.filter((f) => f.seq === seq && f.stage === 'transcription').length;
      expect(outcomes).toBe(1);
    }
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(transcribed.size).toBeGreaterThanOrEqual(4);
    for (const failure of failed)
      expect(failure).toMatchObject({ stage: 'transcription', error_code: 'injected_failure' });
    const transcript = await client.transcript(upload.session_id);
    expect(transcript.complete).toBe(true);
    expect(transcript.chunks.failed).toBe(failed.length);
  });
});
