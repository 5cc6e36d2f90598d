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
import {
  EVENT_TYPES,
  GatewayClient,
  type SessionCompleted,
  type SessionEvent,
  type SessionProgressInfo,
  type TranscriptInfo,
} from '@livetranslate/contracts';

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

/** How a session run by the CLI ended. */
export interface SessionOutcome {
  transcript: TranscriptInfo;
  /** The session's totals; null when its results stopped coming before it completed. */
  completed: SessionCompleted | null;
}

export interface FollowOptions {
  /** Print drafts too (interim text of the chunk being recorded), marked as such. */
  drafts?: boolean;
  /** Silence after which the CLI asks the gateway why (progress, queue, workers). */
  stallMs?: number;
  /** Silence with no worker consuming after which it gives up. */
  giveUpMs?: number;
}

export interface StreamOptions extends FollowOptions {
  client: GatewayClient;
  file: string;
  languages: string[];
  paced: boolean;
  chunkMs?: number;
}

/** Streams a WAV over the session WebSocket and prints results as they arrive, then the transcript. */
export async function streamCommand(options: StreamOptions, out: Output): Promise<SessionOutcome> {
  const audio = decodeWav(await readFile(options.file));
  const session = await options.client.createSession({
    target_languages: options.languages,
    sample_rate: audio.sampleRate,
    ...(options.chunkMs ? { chunk_ms: options.chunkMs } : {}),
  });
  out.line(
    `session ${session.session_id}: streaming ${options.file}${options.paced ? ' at real-time pace' : ''} (watch: ${options.client.pageUrl(session.session_id)})`,
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
  // The gateway closes the socket after SessionCompleted, which ends the events.
  const completed = await followSession(
    options.client,
    session.session_id,
    connection.events(),
    out,
    options,
  );
  connection.close();
  return { transcript: await printTranscript(options.client, session.session_id, out), completed };
}

export interface UploadOptions extends FollowOptions {
  client: GatewayClient;
  file: string;
  languages: string[];
}

/** Uploads a whole file, prints results as they arrive, then the finished transcript. */
export async function uploadCommand(options: UploadOptions, out: Output): Promise<SessionOutcome> {
  // The session's events are read from its start, so results that come before the reader lose nothing.
  const session = await options.client.upload(await readFile(options.file), {
    target_languages: options.languages,
  });
  out.line(
    `session ${session.session_id}: uploaded ${options.file} as ${session.chunks} chunks (watch: ${options.client.pageUrl(session.session_id)})`,
  );
  const completed = await followSession(
    options.client,
    session.session_id,
    options.client.events(session.session_id),
    out,
    options,
  );
  return { transcript: await printTranscript(options.client, session.session_id, out), completed };
}

export interface LiveOptions extends FollowOptions {
  client: GatewayClient;
  sessionId: string;
  /** Replay what happened before too; by default only what happens from now on. */
  fromStart: boolean;
}

/** Follows any session of the tenant as it happens, until it completes. */
export async function liveCommand(options: LiveOptions, out: Output): Promise<SessionCompleted | null> {
  const { client, sessionId } = options;
  const session = await client.getSession(sessionId);
  // A completed session has nothing left to happen: it is replayed instead.
  const fromStart = options.fromStart || session.state === 'completed';
  out.line(`session ${sessionId} (${session.state}): following${fromStart ? ' from its start' : ''}`);
  // "From now on" is after the last event so far (the transcript says where the log stands).
  const lastEventId = fromStart ? undefined : (await client.transcript(sessionId)).last_event_id;
  return followSession(client, sessionId, client.events(sessionId, lastEventId ? { lastEventId } : {}), out, {
    drafts: true,
    ...options,
  });
}

async function printTranscript(
  client: GatewayClient,
  sessionId: string,
  out: Output,
): Promise<TranscriptInfo> {
  const transcript = await client.transcript(sessionId);
  out.line('');
  out.line(`transcript (${transcript.language ?? 'unknown'}): ${transcript.text}`);
  for (const [language, t] of Object.entries(transcript.translations)) out.line(`${language}: ${t.text}`);
  return transcript;
}

const STALLED = Symbol('stalled');

/**
 * Prints a session's events until its SessionCompleted (returned), or until the events end without
 * it (null). While nothing arrives it asks the gateway for the session's progress and says what it
 * waits for — and that no worker is consuming, when none is; it gives up after `giveUpMs` of that.
 */
export async function followSession(
  client: GatewayClient,
  sessionId: string,
  events: AsyncIterable<SessionEvent>,
  out: Output,
  { stallMs = 5_000, giveUpMs = 60_000, drafts = false }: FollowOptions = {},
): Promise<SessionCompleted | null> {
  const iterator = events[Symbol.asyncIterator]();
  let next = iterator.next();
  let idleSince = Date.now();
  let lastNotice = '';
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<typeof STALLED>(
        (resolve) => (timer = setTimeout(resolve, stallMs, STALLED)),
      );
      const result = await Promise.race([next, stalled]).finally(() => clearTimeout(timer));
      if (result === STALLED) {
        const session = await client.getSession(sessionId);
        const notice = waitingNotice(session.progress);
        if (notice !== lastNotice) out.line(notice);
        lastNotice = notice;
        if (session.progress.ingest_queue?.workers === 0 && Date.now() - idleSince > giveUpMs) {
          out.error(`lt: gave up: no audio worker consumed the session's chunks for ${giveUpMs / 1000} s`);
          return null;
        }
        continue;
      }
      if (result.done) return null;
      idleSince = Date.now();
      lastNotice = '';
      const event = result.value;
      print(event, out, drafts);
      if (event.event_type === EVENT_TYPES.SessionCompleted)
        return event.payload as unknown as SessionCompleted;
      next = iterator.next();
    }
  } finally {
    void iterator.return?.();
  }
}

/** What the session waits for, from its progress. */
export function waitingNotice(progress: SessionProgressInfo): string {
  const done = progress.chunks_completed + progress.chunks_failed;
  const head = `(waiting: ${done} of ${progress.chunks_accepted} chunks done`;
  const queue = progress.ingest_queue;
  if (!queue) return `${head})`;
  if (queue.workers === 0)
    return `${head}; no audio worker is consuming the ingest queue (${queue.waiting ?? '?'} chunks waiting) — is the audio-pipeline-worker running?)`;
  return `${head}; ${queue.in_progress} being processed, ${queue.waiting ?? '?'} queued, ${queue.workers} worker${queue.workers === 1 ? '' : 's'})`;
}

function print(event: SessionEvent, out: Output, drafts: boolean): void {
  const p = event.payload as Record<string, unknown>;
  switch (event.event_type) {
    case 'TranscriptionDraft':
      if (drafts) out.line(`[chunk ${p.seq}] … ${p.text || '(silence)'} (draft)`);
      break;
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
    case 'SessionCompleted':
      out.line(
        `(session complete: ${p.completed_chunks} of ${p.total_chunks} chunks done${p.failed_chunks ? `, ${p.failed_chunks} failed` : ''})`,
      );
      break;
  }
}
