import { deadLetterStreamOf, GatewayError, type SessionEvent } from '@livetranslate/contracts';
import type { ToneWord } from '@livetranslate/audio';
import type { AppProcess } from '@livetranslate/service-kit/testing';
import { speechWav } from '../../e2e/support/audio-fixtures.js';
import { isComplete, type Stack } from '../../e2e/support/stack.js';
import type { Figures } from './figures.js';

export interface LoadOptions {
  sessions: number;
  chunksPerSession: number;
  /** Between one session's chunks. */
  intervalMs: number;
  words?: ToneWord[];
  languages?: string[];
  /** How long a client keeps retrying one chunk (the platform may be down that long). */
  retryForMs?: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Results a client received more than once for one chunk and language. */
export function duplicatedResults(events: SessionEvent[]): number {
  const seen = new Map<string, number>();
  for (const event of events) {
    if (event.event_type !== 'TranscriptionCompleted' && event.event_type !== 'TranslationCompleted')
      continue;
    const p = event.payload as { seq?: number; target_language?: string };
    const key = `${event.event_type}:${p.seq}:${p.target_language ?? ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let duplicated = 0;
  for (const count of seen.values()) duplicated += count - 1;
  return duplicated;
}

/** One client feeding one session over HTTP, and following its events over SSE. */
class SessionClient {
  readonly acked = new Set<number>();
  readonly events: SessionEvent[] = [];
  refused: string | null = null;
  private readonly abort = new AbortController();
  collecting!: Promise<void>;

  constructor(
    private readonly stack: Stack,
    readonly id: string,
    private readonly languages: string[],
  ) {}

  /** Follows the session's events on the last gateway until it is complete or aborted. */
  follow(): void {
    const client = this.stack.client(this.stack.gateways.length - 1);
    this.collecting = (async () => {
      try {
        for await (const event of client.events(this.id, { signal: this.abort.signal })) {
          this.events.push(event);
          if (isComplete(this.events, this.languages)) return;
        }
      } catch (error) {
        this.refused ??= error instanceof GatewayError ? `${error.status} ${error.code}` : String(error);
      }
    })();
  }

  /** Sends a chunk, retrying on another gateway while the platform answers 5xx or not at all. */
  async send(wav: Buffer, retryForMs: number): Promise<void> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 0; !this.refused; attempt++) {
      try {
        const accepted = await this.stack
          .client(attempt % this.stack.gateways.length)
          .sendChunk(this.id, wav);
        this.acked.add(accepted.seq);
        return;
      } catch (error) {
        if (error instanceof GatewayError && error.status < 500 && error.status !== 429) {
          this.refused = `${error.status} ${error.code}`;
          if (error.status === 404) this.stop(); // the session is gone: no result will come
          return;
        }
        if (Date.now() > deadline) {
          this.refused = `gave up: ${String(error)}`;
          return;
        }
        await sleep(200);
      }
    }
  }

  async end(retryForMs: number): Promise<void> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.stack.client(attempt % this.stack.gateways.length).endSession(this.id);
        return;
      } catch (error) {
        if ((error instanceof GatewayError && error.status < 500) || Date.now() > deadline) return;
        await sleep(200);
      }
    }
  }

  stop(): void {
    this.abort.abort();
  }
}

/**
 * Steady client load for the fault suite: sessions each sending WAV chunks over HTTP at an
 * interval, with a client per session following its events. The figures come from what the clients
 * saw: a chunk counts as sent once the gateway acknowledged it, as a result once its transcript
 * reached the client.
 */
export class ChunkLoad {
  private readonly clients: SessionClient[] = [];
  private sending!: Promise<void>;
  readonly languages: string[];
  private readonly retryForMs: number;

  private constructor(
    private readonly stack: Stack,
    private readonly options: LoadOptions,
  ) {
    this.languages = options.languages ?? ['es'];
    this.retryForMs = options.retryForMs ?? 60_000;
  }

  static async start(stack: Stack, options: LoadOptions): Promise<ChunkLoad> {
    const load = new ChunkLoad(stack, options);
    const client = stack.client();
    for (let i = 0; i < options.sessions; i++) {
      const session = await client.createSession({ target_languages: load.languages });
      const follower = new SessionClient(stack, session.session_id, load.languages);
      follower.follow();
      load.clients.push(follower);
    }
    const wav = speechWav(options.words ?? ['hello', 'world']);
    load.sending = Promise.all(
      load.clients.map(async (session, i) => {
        await sleep((options.intervalMs * i) / options.sessions); // spread the sessions over an interval
        for (let n = 0; n < options.chunksPerSession && !session.refused; n++) {
          await session.send(wav, load.retryForMs);
          await sleep(options.intervalMs);
        }
      }),
    ).then(() => undefined);
    return load;
  }

  /** Chunks acknowledged so far, over every session. */
  get acknowledged(): number {
    return this.clients.reduce((n, c) => n + c.acked.size, 0);
  }

  /** Waits for the senders, ends every session and waits (up to `timeoutMs`) for the last results. */
  async finish(timeoutMs = 120_000): Promise<Omit<Figures, 'scenario'>> {
    await this.sending;
    await Promise.all(this.clients.map((c) => c.end(this.retryForMs)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.clients.map((c) => c.collecting)), deadline]);
    clearTimeout(timer); // a pending timer would hold jest open after the run
    for (const c of this.clients) c.stop();
    await Promise.all(this.clients.map((c) => c.collecting));
    return { ...this.count(), deadLettered: await deadLettered(this.stack) };
  }

  /** Why sessions stopped early, if any did (e.g. a Redis that forgot them). */
  get refusals(): string[] {
    return this.clients.flatMap((c) => (c.refused ? [c.refused] : []));
  }

  private count() {
    let sent = 0;
    let results = 0;
    let failed = 0;
    let duplicated = 0;
    for (const client of this.clients) {
      const transcribed = new Set<number>();
      const failedSeqs = new Set<number>();
      for (const event of client.events) {
        const p = event.payload as { seq?: number; stage?: string };
        if (event.event_type === 'TranscriptionCompleted') transcribed.add(p.seq!);
        if (event.event_type === 'ProcessingFailed' && p.stage !== 'translation') failedSeqs.add(p.seq!);
      }
      duplicated += duplicatedResults(client.events);
      sent += client.acked.size;
      for (const seq of client.acked) {
        if (transcribed.has(seq)) results++;
        else if (failedSeqs.has(seq)) failed++;
      }
    }
    return { sent, results, failed, lost: sent - results - failed, duplicated };
  }
}

/** Entries in the run's dead-letter streams. */
export async function deadLettered(stack: Stack): Promise<number> {
  const shared = stack.shared;
  let total = 0;
  for (const stream of [shared.EVENT_STREAM_AUDIO!, shared.EVENT_STREAM_AUDIO_RESULTS!]) {
    total += await stack.redis.xlen(deadLetterStreamOf(stream)).catch(() => 0);
  }
  return total;
}

/** Sums a metric's samples (matching `pattern`, value in group 1) over the processes still running. */
export async function metricSum(apps: AppProcess[], pattern: RegExp): Promise<number> {
  let total = 0;
  for (const app of apps.filter((a) => a.child.exitCode === null && a.child.signalCode === null)) {
    const text = await fetch(`${app.url}/metrics`).then((r) => r.text());
    for (const match of text.matchAll(new RegExp(pattern.source, 'gm'))) total += Number(match[1]);
  }
  return total;
}
