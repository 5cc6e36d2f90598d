import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ResumingAudioSender, type StreamAudioOptions } from './audio-sender.js';
import { EVENT_TYPES } from '../wire/event-types.js';
import { SessionConnection } from './session-connection.js';
import { defaultSocketFactory, type SocketFactory } from './socket.js';
import type {
  ChunkAccepted,
  SessionEvent,
  SessionInfo,
  SessionList,
  LanguagesInfo,
  SessionOptionsInput,
  BotInfo,
  BotList,
  BotRequestInput,
  TranscriptInfo,
  UploadInfo,
} from './gateway.types.js';

export interface GatewayClientOptions {
  /** e.g. `http://localhost:3000` */
  baseUrl: string;
  apiKey: string;
  /** Other addresses of the same gateway (replicas) that live audio falls back to when `baseUrl` is lost. */
  fallbackUrls?: string[];
  /** How session WebSockets are opened: the page's own in a browser, `ws` in Node (the default picks). */
  socket?: SocketFactory;
}

/** A non-2xx answer from the gateway, with its JSON error body. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface EventsOptions {
  /** Resume after this log id. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Wait between reconnects; doubles up to 5 s. */
  reconnectDelayMs?: number;
}

/** Connection errors that prove the request never reached a gateway. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The platform's client SDK: sessions, live audio over WebSocket, resumable events, uploads. */
export class GatewayClient {
  /** Index of the URL that last answered (the base URL, or a fallback after it was lost). */
  private current = 0;

  private readonly socket: SocketFactory;

  constructor(private readonly options: GatewayClientOptions) {
    this.socket = options.socket ?? defaultSocketFactory();
  }

  private get headers(): Record<string, string> {
    return { 'x-api-key': this.options.apiKey };
  }

  private url(path: string, base = this.options.baseUrl): string {
    return `${base.replace(/\/$/, '')}${path}`;
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: RequestInit = {},
  ): Promise<T> {
    const init: RequestInit = { method, headers: { ...this.headers }, ...extra };
    if (body !== undefined && !(body instanceof FormData) && !(body instanceof Uint8Array)) {
      init.headers = { ...(init.headers as Record<string, string>), 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    } else if (body !== undefined) {
      init.body = body as FormData;
    }
    const response = await this.fetchAny(path, init);
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error =
        (json as { error?: { code?: string; message?: string }; request_id?: string } | undefined) ?? {};
      throw new GatewayError(
        response.status,
        error.error?.code ?? `http_${response.status}`,
        error.error?.message ?? text,
        error.request_id,
      );
    }
    return json as T;
  }

  /**
   * Fetches from the gateway, moving on to the next fallback URL when one cannot be reached at all
   * (nothing was sent, so any method is safe to repeat); the one that answered is used from then on.
   */
  private async fetchAny(path: string, init: RequestInit): Promise<Response> {
    const urls = [this.options.baseUrl, ...(this.options.fallbackUrls ?? [])];
    for (let tried = 0; ; tried++) {
      const base = urls[(this.current + tried) % urls.length]!;
      try {
        const response = await fetch(this.url(path, base), init);
        this.current = (this.current + tried) % urls.length;
        return response;
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
        if (tried + 1 >= urls.length || !UNREACHABLE.has(code)) throw error;
      }
    }
  }

  createSession(options: SessionOptionsInput = {}): Promise<SessionInfo> {
    return this.request('POST', '/api/sessions', options);
  }

  getSession(id: string): Promise<SessionInfo> {
    return this.request('GET', `/api/sessions/${id}`);
  }

  /** Where the gateway's captions page shows the session live (`/live/:id`). */
  pageUrl(id: string): string {
    return this.url(`/live/${id}`, this.options.baseUrl);
  }

  /** The languages sessions may ask for (the translation service's), and how many at most. */
  languages(): Promise<LanguagesInfo> {
    return this.request('GET', '/api/languages');
  }

  /** Your sessions, newest first; `state` filters, `cursor` is the previous page's `next_cursor`. */
  listSessions(
    query: { state?: SessionInfo['state']; limit?: number; cursor?: string } = {},
  ): Promise<SessionList> {
    return this.request('GET', `/api/sessions${queryString(query)}`);
  }

  endSession(id: string): Promise<SessionInfo> {
    return this.request('DELETE', `/api/sessions/${id}`);
  }

  transcript(id: string): Promise<TranscriptInfo> {
    return this.request('GET', `/api/sessions/${id}/transcript`);
  }

  /** One chunk over HTTP: a WAV file. */
  sendChunk(id: string, wav: Uint8Array): Promise<ChunkAccepted> {
    return this.request('POST', `/api/sessions/${id}/audio`, new Uint8Array(wav), {
      headers: { ...this.headers, 'content-type': 'audio/wav' },
    });
  }

  /** A whole WAV file; with `wait`, answers with the finished transcript. */
  upload(
    wav: Uint8Array,
    options: SessionOptionsInput & { wait?: boolean; filename?: string } = {},
  ): Promise<UploadInfo> {
    const form = new FormData();
    const { wait, filename, target_languages, ...rest } = options;
    form.set('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), filename ?? 'audio.wav');
    if (target_languages) form.set('target_languages', target_languages.join(','));
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) form.set(key, String(value));
    return this.request('POST', `/api/audio/upload${wait ? '?wait=true' : ''}`, form);
  }

  /** Sends a bot to a meeting; a live bot of the tenant already there is returned instead. */
  createBot(request: BotRequestInput): Promise<BotInfo> {
    return this.request('POST', '/api/bots', request);
  }

  /** A bot with every transition it made. */
  getBot(id: string): Promise<BotInfo> {
    return this.request('GET', `/api/bots/${id}`);
  }

  listBots(query: { status?: string; limit?: number; cursor?: string } = {}): Promise<BotList> {
    return this.request('GET', `/api/bots${queryString(query)}`);
  }

  /** Asks the bot to leave; it ends `stopped` once its last audio is in. */
  stopBot(id: string): Promise<BotInfo> {
    return this.request('DELETE', `/api/bots/${id}`);
  }

  translate(text: string, targetLanguage: string, sourceLanguage = 'auto') {
    return this.request<{ translated_text: string; source_language: string; target_language: string }>(
      'POST',
      '/api/translate',
      {
        text,
        source_language: sourceLanguage,
        target_language: targetLanguage,
      },
    );
  }

  /**
   * The session's events over SSE as an async iterator. Reconnects by itself after a dropped
   * connection and resumes after the last event it yielded, so nothing is missed or repeated.
   * Finishes after the session's SessionCompleted; stop earlier by breaking out of the loop or
   * aborting `signal`.
   */
  async *events(id: string, options: EventsOptions = {}): AsyncGenerator<SessionEvent> {
    let lastId = options.lastEventId;
    let delay = options.reconnectDelayMs ?? 250;
    while (!options.signal?.aborted) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        const response = await this.fetchAny(`/api/sessions/${id}/events`, {
          headers: {
            ...this.headers,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: controller.signal,
        });
        // 204: the session completed before (at or after `lastId`); there is nothing more to read.
        if (response.status === 204) return;
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => ({}))) as {
            error?: { code?: string; message?: string };
          };
          const error = new GatewayError(
            response.status,
            body.error?.code ?? `http_${response.status}`,
            body.error?.message ?? 'events failed',
          );
          if (response.status < 500) throw error; // 4xx: reconnecting will not help
          throw Object.assign(error, { retry: true });
        }
        const queue: SessionEvent[] = [];
        const parser = createParser({
          onEvent: (message: EventSourceMessage) => {
            if (message.data) queue.push(JSON.parse(message.data) as SessionEvent);
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
          delay = options.reconnectDelayMs ?? 250;
          while (queue.length) {
            const event = queue.shift()!;
            if (event.id) lastId = event.id; // a draft (live-only) has none
            yield event;
            if (event.event_type === EVENT_TYPES.SessionCompleted) return;
          }
        }
      } catch (error) {
        if (options.signal?.aborted) return;
        if (error instanceof GatewayError && !(error as GatewayError & { retry?: boolean }).retry)
          throw error;
      } finally {
        options.signal?.removeEventListener('abort', abort);
        controller.abort();
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }

  /** Opens the session's WebSocket: send audio frames, receive events. */
  connect(id: string, options: { lastEventId?: string } = {}): SessionConnection {
    return this.connectVia(this.options.baseUrl, id, options.lastEventId);
  }

  private connectVia(base: string, id: string, lastEventId?: string): SessionConnection {
    const url = new URL(this.url(`/ws/sessions/${id}`, base).replace(/^http/, 'ws'));
    if (lastEventId) url.searchParams.set('last_event_id', lastEventId);
    return new SessionConnection(this.socket(url, this.options.apiKey, this.headers));
  }

  /**
   * Streams audio (PCM s16le mono at the session's rate, or WAV frames) from a Node stream or
   * async iterator over the session's WebSocket, optionally at real-time pace. If the gateway goes
   * away mid-stream, it reconnects (to the next fallback URL) and resends the PCM the session had not
   * stored; with `end`, it returns once the session has ended. Returns the open connection, whose
   * events start after `lastEventId` whichever connection it is.
   */
  streamAudio(
    id: string,
    source: AsyncIterable<Uint8Array>,
    options: StreamAudioOptions = {},
  ): Promise<SessionConnection> {
    const urls = [this.options.baseUrl, ...(this.options.fallbackUrls ?? [])];
    const sender = new ResumingAudioSender((index) => {
      const url = urls[(this.current + index) % urls.length]!;
      return { url, connection: this.connectVia(url, id, options.lastEventId) };
    }, options);
    return sender.run(source);
  }
}

/** `?a=1&b=2` of the defined values, or nothing. */
function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}
