import { createParser, type EventSourceMessage } from 'eventsource-parser';
import WebSocket from 'ws';
import type {
  ChunkAccepted,
  SessionEvent,
  SessionInfo,
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

export interface StreamAudioOptions {
  /** Send in real time: one frame of `frameMs` audio every `frameMs`. Needs the PCM rate. */
  paced?: boolean;
  sampleRate?: number;
  frameMs?: number;
  /** Send `{"type":"end"}` after the last frame (the session ends; results keep coming). */
  end?: boolean;
  lastEventId?: string;
}

/** The platform's client SDK: sessions, live audio over WebSocket, resumable events, uploads. */
export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  private get headers(): Record<string, string> {
    return { 'x-api-key': this.options.apiKey };
  }

  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}${path}`;
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
    const response = await fetch(this.url(path), init);
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

  createSession(options: SessionOptionsInput = {}): Promise<SessionInfo> {
    return this.request('POST', '/api/sessions', options);
  }

  getSession(id: string): Promise<SessionInfo> {
    return this.request('GET', `/api/sessions/${id}`);
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
    if (target_languages) form.set('languages', target_languages.join(','));
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
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    return this.request('GET', `/api/bots${qs ? `?${qs}` : ''}`);
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
   * Stop by breaking out of the loop or aborting `signal`.
   */
  async *events(id: string, options: EventsOptions = {}): AsyncGenerator<SessionEvent> {
    let lastId = options.lastEventId;
    let delay = options.reconnectDelayMs ?? 250;
    while (!options.signal?.aborted) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        const response = await fetch(this.url(`/api/sessions/${id}/events`), {
          headers: {
            ...this.headers,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: controller.signal,
        });
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
            lastId = event.id;
            yield event;
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
    const url = new URL(this.url(`/ws/sessions/${id}`).replace(/^http/, 'ws'));
    if (options.lastEventId) url.searchParams.set('last_event_id', options.lastEventId);
    return new SessionConnection(new WebSocket(url, { headers: this.headers }));
  }

  /**
   * Streams audio (PCM s16le mono at the session's rate, or WAV frames) from a Node stream or
   * async iterator over the session's WebSocket, optionally at real-time pace. Returns the open
   * connection so the caller can keep reading events.
   */
  async streamAudio(
    id: string,
    source: AsyncIterable<Uint8Array>,
    options: StreamAudioOptions = {},
  ): Promise<SessionConnection> {
    const connection = this.connect(id, options.lastEventId ? { lastEventId: options.lastEventId } : {});
    await connection.opened;
    const frameMs = options.frameMs ?? 100;
    const frameBytes = options.paced ? Math.round(((options.sampleRate ?? 16_000) * frameMs) / 1000) * 2 : 0;
    const started = performance.now();
    let sentMs = 0;
    let carry = Buffer.alloc(0);
    const send = async (frame: Buffer) => {
      if (options.paced) {
        sentMs += frameMs;
        const due = started + sentMs - frameMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      connection.sendAudio(frame);
    };
    for await (const piece of source) {
      if (!options.paced) {
        await send(Buffer.from(piece));
        continue;
      }
      carry = Buffer.concat([carry, Buffer.from(piece)]);
      while (carry.length >= frameBytes) {
        await send(carry.subarray(0, frameBytes));
        carry = carry.subarray(frameBytes);
      }
    }
    if (carry.length) await send(carry);
    if (options.end) connection.end();
    return connection;
  }
}

/** A session WebSocket: audio out, events in (as an async iterator). */
export class SessionConnection {
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly pending: SessionEvent[] = [];
  private readonly errors: Array<{ code: number | string; message: string }> = [];
  private wake?: () => void;
  private done = false;
  private acceptedUpTo: { seq: number; endMs: number } | null = null;

  constructor(private readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.done = true;
        this.wake?.();
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as {
        type: string;
        code?: number;
        message?: string;
      } & SessionEvent;
      if (message.type === 'event') {
        const { type: _type, ...event } = message;
        this.pending.push(event as SessionEvent);
        this.wake?.();
      } else if (message.type === 'chunk_accepted') {
        const accepted = message as unknown as { seq: number; end_ms: number };
        if (!this.acceptedUpTo || accepted.end_ms > this.acceptedUpTo.endMs)
          this.acceptedUpTo = { seq: accepted.seq, endMs: accepted.end_ms };
      } else if (message.type === 'error') {
        this.errors.push({ code: message.code ?? 'error', message: message.message ?? '' });
      }
    });
  }

  /**
   * The last chunk the gateway stored from this connection, and where on the session's timeline its
   * audio ends: after a lost connection, resend the audio from `endMs` on (audio the gateway only
   * buffered is gone with it). Null until a chunk was stored.
   */
  get accepted(): { seq: number; endMs: number } | null {
    return this.acceptedUpTo;
  }

  /** Errors the server reported before closing (`{ code, message }`). */
  get serverErrors() {
    return [...this.errors];
  }

  sendAudio(frame: Uint8Array): void {
    this.ws.send(frame, { binary: true });
  }

  /** Ends the session's input; results keep arriving. */
  end(): void {
    this.ws.send(JSON.stringify({ type: 'end' }));
  }

  close(code = 1000, reason = 'client done'): void {
    this.ws.close(code, reason);
  }

  /** Drops the connection without a close handshake (a network failure, for tests and resilience). */
  drop(): void {
    this.ws.terminate();
  }

  async *events(): AsyncGenerator<SessionEvent> {
    for (;;) {
      while (this.pending.length) yield this.pending.shift()!;
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
