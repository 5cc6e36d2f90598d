import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  decodeWav,
  encodePcmS16le,
  encodeWav,
  isToneWord,
  mixDown,
  synthesizeWords,
  TONE_WORDS,
  type ToneWord,
} from '@livetranslate/audio';
import { GatewayClient, type SessionEvent, type TranscriptInfo } from '@livetranslate/contracts';

export interface Output {
  line(text: string): void;
  /** Diagnostics (usage errors); standard error by default. */
  error(text: string): void;
}

export const DEFAULT_SAMPLE_WORDS: ToneWord[] = [
  'hello',
  'friend',
  'good',
  'morning',
  'thank',
  'you',
  'water',
  'please',
  'today',
  'yes',
];

/** Writes a WAV of tone-coded words, which whisper-mock transcribes back to the same words. */
export async function sampleCommand(path: string, words: string[], out: Output): Promise<void> {
  const unknown = words.filter((w) => !isToneWord(w));
  if (unknown.length)
    throw new Error(`not in the tone alphabet: ${unknown.join(', ')} (known: ${TONE_WORDS.join(' ')})`);
  const wav = encodeWav([synthesizeWords(words as ToneWord[], { sampleRate: 16_000 })], 16_000);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, wav);
  out.line(`wrote ${path}: "${words.join(' ')}" (${(wav.length / 32_000).toFixed(1)} s, 16 kHz mono)`);
}

export interface StreamOptions {
  client: GatewayClient;
  file: string;
  languages: string[];
  paced: boolean;
  chunkMs?: number;
}

/** Streams a WAV over the session WebSocket and prints results as they arrive, then the transcript. */
export async function streamCommand(options: StreamOptions, out: Output): Promise<TranscriptInfo> {
  const audio = decodeWav(await readFile(options.file));
  const session = await options.client.createSession({
    target_languages: options.languages,
    sample_rate: audio.sampleRate,
    ...(options.chunkMs ? { chunk_ms: options.chunkMs } : {}),
  });
  out.line(
    `session ${session.session_id}: streaming ${options.file}${options.paced ? ' at real-time pace' : ''}`,
  );
  const pcm = encodePcmS16le(mixDown(audio));
  async function* source() {
    yield pcm;
  }
  const connection = await options.client.streamAudio(session.session_id, source(), {
    paced: options.paced,
    sampleRate: audio.sampleRate,
    end: true,
    onReconnect: ({ url, resentMs }) =>
      out.line(`connection lost; continued on ${url}, sent the last ${resentMs} ms again`),
  });
  const progress = new SessionProgress(options.languages);
  for await (const event of connection.events()) {
    print(event, out);
    if (progress.add(event)) break;
  }
  connection.close();
  const transcript = await options.client.transcript(session.session_id);
  out.line('');
  out.line(`transcript (${transcript.language ?? 'unknown'}): ${transcript.text}`);
  for (const [language, t] of Object.entries(transcript.translations)) out.line(`${language}: ${t.text}`);
  return transcript;
}

export interface UploadOptions {
  client: GatewayClient;
  file: string;
  languages: string[];
}

/** Uploads a whole file, waits for the finished transcript and prints it. */
export async function uploadCommand(
  options: UploadOptions,
  out: Output,
): Promise<TranscriptInfo | undefined> {
  const result = await options.client.upload(await readFile(options.file), {
    wait: true,
    target_languages: options.languages,
  });
  out.line(`transcript: ${result.transcript?.text ?? '(not finished)'}`);
  for (const [language, t] of Object.entries(result.transcript?.translations ?? {}))
    out.line(`${language}: ${t.text}`);
  return result.transcript;
}

/**
 * Tells when a session is done: its input ended and every chunk has its transcript and a
 * translation per language (or a failure for them).
 */
export class SessionProgress {
  private total: number | undefined;
  private readonly done = new Set<string>();

  constructor(private readonly languages: string[]) {}

  /** Takes one event; true once the session is complete. */
  add(event: SessionEvent): boolean {
    const p = event.payload as {
      seq?: number;
      target_language?: string;
      stage?: string;
      total_chunks?: number;
    };
    if (event.event_type === 'SessionEnded') this.total = p.total_chunks;
    if (event.event_type === 'TranscriptionCompleted') this.done.add(`${p.seq}`);
    if (event.event_type === 'TranslationCompleted') this.done.add(`${p.seq}:${p.target_language}`);
    if (event.event_type === 'ProcessingFailed') {
      if (p.stage === 'translation') this.done.add(`${p.seq}:${p.target_language}`);
      else for (const key of [`${p.seq}`, ...this.languages.map((l) => `${p.seq}:${l}`)]) this.done.add(key);
    }
    return this.complete;
  }

  get complete(): boolean {
    return this.total !== undefined && this.done.size >= this.total * (1 + this.languages.length);
  }
}

function print(event: SessionEvent, out: Output): void {
  const p = event.payload as Record<string, unknown>;
  switch (event.event_type) {
    case 'TranscriptionCompleted':
      out.line(`[chunk ${p.seq}] ${p.text || '(silence)'}`);
      break;
    case 'TranslationCompleted':
      out.line(`[chunk ${p.seq}] ${p.target_language}: ${p.translated_text}`);
      break;
    case 'ProcessingFailed':
      out.line(
        `[chunk ${p.seq}] failed at ${p.stage}${p.target_language ? ` (${p.target_language})` : ''}: ${p.message}`,
      );
      break;
    case 'SessionEnded':
      out.line(`(input ended after ${p.total_chunks} chunks)`);
      break;
  }
}
