/**
 * What a live listener waits for: speech → first draft and speech → final at the client, p50/p95,
 * over the session WebSocket at real-time pace (3 s chunks, drafts every DRAFT_INTERVAL_MS = 1 s,
 * the mocks at zero latency, every process on this machine). A word's time is when its last sound
 * was sent; it is drafted when a TranscriptionDraft first holds it, final when its chunk's
 * TranscriptionCompleted does. Prints a table and writes bench/results/latency.json; never fails on
 * a timing. BENCH_STREAMS (default 6) sessions stream at once.
 * Then chunk → its last translation with the translation mock answering in TRANSLATION_MS, for one
 * target language and for three, p50 of BENCH_LANGUAGE_CHUNKS (default 20) chunks each: the worker
 * asks for every language at once, so three should cost about one call's wait (ratio near 1;
 * asked one after another, they would cost about three).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeToneWords, encodePcmS16le, encodeWav, synthesizeWords } from '@livetranslate/audio';
import type { SessionEvent } from '@livetranslate/contracts';
import { RATE, SENTENCE as WORDS } from '../test/e2e/support/audio-fixtures.js';
import { Stack } from '../test/e2e/support/stack.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 6);
const CHUNK_MS = 3000;
const DRAFT_INTERVAL_MS = 1000;
const TRANSLATION_MS = 150;
const LANGUAGE_CHUNKS = Number(process.env.BENCH_LANGUAGE_CHUNKS ?? 20);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

/** One session streamed at real-time pace; each word's draft and final latency, in ms. */
async function stream(stack: Stack): Promise<{ draft: number[]; final: number[] }> {
  const samples = synthesizeWords(WORDS, { sampleRate: RATE });
  // When each word's sound ends, from the audio itself.
  const spoken = new Map(
    decodeToneWords(samples, RATE).map((w) => [w.word as string, Math.ceil(w.endMs / 100) * 100]),
  );
  const client = stack.client();
  const session = await client.createSession({ chunk_ms: CHUNK_MS, overlap_ms: 0, sample_rate: RATE });
  const drafted = new Map<string, number>();
  const finals = new Map<string, number>();
  const connection = client.connect(session.session_id);
  await connection.opened;
  const started = performance.now();
  // Read while sending: each event is timed as it arrives.
  const reading = (async () => {
    for await (const event of connection.events()) note(event, performance.now() - started);
  })();
  const pcm = encodePcmS16le(samples);
  const frameBytes = (RATE / 10) * 2; // 100 ms frames, as a microphone would send them
  for (let at = 0, i = 0; at < pcm.length; at += frameBytes, i++) {
    // A microphone hands a frame over once it is recorded: at the end of its 100 ms.
    const due = started + (i + 1) * 100 - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    connection.sendAudio(pcm.subarray(at, at + frameBytes));
  }
  connection.end();
  await reading; // the server closes the socket after SessionCompleted
  function note(event: SessionEvent, at: number) {
    const text = (event.payload as { text?: string }).text ?? '';
    const seen =
      event.event_type === 'TranscriptionDraft'
        ? drafted
        : event.event_type === 'TranscriptionCompleted'
          ? finals
          : null;
    if (!seen) return;
    for (const word of text.split(/\s+/).filter(Boolean)) if (!seen.has(word)) seen.set(word, at);
  }
  // A word sent as its 100 ms frame ends: its last sound leaves at the end of the frame holding it.
  const latency = (seen: Map<string, number>) =>
    WORDS.filter((w) => seen.has(w) && spoken.has(w)).map((w) => seen.get(w)! - spoken.get(w)!);
  // A word the final holds but no draft did (said just before a cut) counts as drafted by its final.
  for (const [word, at] of finals) if (!drafted.has(word)) drafted.set(word, at);
  return { draft: latency(drafted), final: latency(finals) };
}

/** POST → the chunk's last translation at the client, in ms, for chunks sent one at a time. */
async function lastTranslation(stack: Stack, languages: string[]): Promise<number[]> {
  const client = stack.client();
  const session = await client.createSession({ target_languages: languages });
  const connection = client.connect(session.session_id);
  await connection.opened;
  const events = connection.events()[Symbol.asyncIterator]();
  const wav = encodeWav([synthesizeWords(['hello', 'friend'], { sampleRate: RATE, gapMs: 100 })], RATE);
  const waits: number[] = [];
  for (let i = 0; i < LANGUAGE_CHUNKS; i++) {
    const started = performance.now();
    const chunk = await client.sendChunk(session.session_id, wav);
    for (let translated = 0; translated < languages.length;) {
      const next = await events.next();
      if (next.done) throw new Error('the session socket closed');
      const { event_type, payload } = next.value;
      if (event_type === 'ProcessingFailed') throw new Error(`chunk failed: ${JSON.stringify(payload)}`);
      if (
        event_type === 'TranslationCompleted' &&
        (payload as { chunk_id: string }).chunk_id === chunk.chunk_id
      )
        translated++;
    }
    waits.push(performance.now() - started);
  }
  connection.close();
  await client.endSession(session.session_id);
  return waits;
}

async function languagesRun() {
  const stack = await Stack.start({ translationEnv: { MOCK_LATENCY_MS: String(TRANSLATION_MS) } });
  try {
    const one = percentile(await lastTranslation(stack, ['es']), 50);
    const three = percentile(await lastTranslation(stack, ['es', 'fr', 'de']), 50);
    const ratio = Number((three / one).toFixed(2));
    process.stdout.write(
      `  chunk → last translation, translation service at ${TRANSLATION_MS} ms: p50 ${one} ms for one language, ` +
        `${three} ms for three (×${ratio}; asked in turn, three would cost about ×3)\n`,
    );
    return {
      translation_service_ms: TRANSLATION_MS,
      chunks: LANGUAGE_CHUNKS,
      one_language_p50_ms: one,
      three_languages_p50_ms: three,
      three_vs_one: ratio,
    };
  } finally {
    await stack.stop();
  }
}

/** Speech → first draft and → final, over STREAMS live sessions at once. */
async function listenerRun() {
  const stack = await Stack.start({
    gatewayEnv: { DRAFT_INTERVAL_MS: String(DRAFT_INTERVAL_MS), LOG_LEVEL: 'warn' },
  });
  try {
    const runs = await Promise.all(Array.from({ length: STREAMS }, () => stream(stack)));
    const draft = runs.flatMap((r) => r.draft);
    const final = runs.flatMap((r) => r.final);
    const result = {
      scenario: 'latency',
      streams: STREAMS,
      words: final.length,
      chunk_ms: CHUNK_MS,
      draft_interval_ms: DRAFT_INTERVAL_MS,
      speech_to_first_draft_ms: { p50: percentile(draft, 50), p95: percentile(draft, 95) },
      speech_to_final_ms: { p50: percentile(final, 50), p95: percentile(final, 95) },
      targets: {
        draft_p95_ms: { target: 1500, measured: percentile(draft, 95), met: percentile(draft, 95) <= 1500 },
        final_p95_ms: {
          target: CHUNK_MS + 300,
          measured: percentile(final, 95),
          met: percentile(final, 95) <= CHUNK_MS + 300,
        },
      },
    };
    process.stdout.write(
      `  speech → first draft: p50 ${result.speech_to_first_draft_ms.p50} ms, p95 ${result.speech_to_first_draft_ms.p95} ms (${draft.length} words)\n` +
        `  speech → final:       p50 ${result.speech_to_final_ms.p50} ms, p95 ${result.speech_to_final_ms.p95} ms\n`,
    );
    for (const [name, t] of Object.entries(result.targets))
      process.stdout.write(`  ${name}: ${t.measured} vs target ${t.target} → ${t.met ? 'met' : 'missed'}\n`);
    return result;
  } finally {
    await stack.stop();
  }
}

process.stdout.write(
  `latency benchmark: ${STREAMS} live streams at real-time pace, ${CHUNK_MS} ms chunks, drafts every ${DRAFT_INTERVAL_MS} ms\n`,
);
// One stack at a time: two would share the machine's two cores.
const result = await listenerRun();
const languages = await languagesRun();
const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}latency.json`, `${JSON.stringify({ ...result, languages }, null, 2)}\n`);
process.stdout.write(`  wrote ${outDir}latency.json\n`);
process.exit(0);
