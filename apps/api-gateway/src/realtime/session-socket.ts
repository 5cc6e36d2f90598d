import { AudioDecodeError, decodeWav, encodePcmS16le, isWav, mixDown } from '@livetranslate/audio';
import type { LiveAudioStream, SessionRecord } from '@livetranslate/ingest';
import { EVENT_TYPES } from '@livetranslate/contracts';
import { ApiError } from '@livetranslate/service-kit';
import { context, type Context } from '@opentelemetry/api';
import type { WebSocket } from 'ws';
import type { ClientEvent } from '../delivery/client-event.js';
import type { SessionView } from '../sessions/session.dto.js';
import { CLOSE_CODES } from './close-codes.js';

/** Follows the session's log for this socket from after `lastEventId`; returns stop. */
export type FollowLog = (lastEventId: string, send: (event: ClientEvent) => void) => Promise<() => void>;

/**
 * One client connection to one session: binary frames are audio (PCM s16le mono at the session's
 * rate, or WAV) fed to the session's live input; text frames are JSON commands; the session's log
 * flows back as JSON events. Frames are handled strictly in order. After the session's
 * SessionCompleted the socket closes with 1000.
 */
export class SessionSocket {
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private closed = false;
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly session: SessionRecord,
    private readonly view: SessionView,
    private readonly input: LiveAudioStream,
    private readonly followLog: FollowLog,
    /** The connection's span and request id: every frame is handled inside it. */
    private readonly traceContext: Context = context.active(),
  ) {}

  /** Listens at once (so no early frame is lost), then replays the log after `lastEventId` and goes live. */
  start(lastEventId: string): void {
    this.ws.on('message', (data, isBinary) => {
      const frame = Buffer.isBuffer(data)
        ? data
        : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      this.enqueue(() => (isBinary ? this.onAudio(frame) : this.onCommand(frame.toString('utf8'))));
    });
    this.ws.on('pong', () => (this.alive = true));
    this.ws.on('error', () => undefined); // 'close' follows
    this.enqueue(async () => {
      this.send({ type: 'session', session: this.view });
      this.unsubscribe = await this.followLog(lastEventId, (event) => {
        this.send({ type: 'event', ...event });
        // Nothing follows a session's completion: the conversation is over, normally.
        if (event.event_type === EVENT_TYPES.SessionCompleted)
          this.close(CLOSE_CODES.normal, 'session completed');
      });
      if (this.closed) this.unsubscribe();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(() => context.with(this.traceContext, task))
      .catch((error: unknown) => this.fail(error));
    return this.queue;
  }

  private async onAudio(frame: Buffer): Promise<void> {
    if (this.input.isEnded)
      return this.close(CLOSE_CODES.sessionEnded, 'session has ended; it takes no more audio');
    let pcm = frame;
    if (isWav(frame)) {
      const audio = decodeWav(frame);
      if (audio.sampleRate !== this.session.options.sample_rate) {
        return this.close(
          CLOSE_CODES.unsupportedAudio,
          `WAV frames must be ${this.session.options.sample_rate} Hz like the session (got ${audio.sampleRate} Hz)`,
        );
      }
      pcm = encodePcmS16le(mixDown(audio));
    }
    await this.input.push(pcm);
  }

  private async onCommand(text: string): Promise<void> {
    const command = parseCommand(text);
    if (!command) {
      this.send({
        type: 'error',
        code: 'bad_message',
        message: 'text frames must be JSON commands: {"type":"end"} or {"type":"ping"}',
      });
      return;
    }
    switch (command.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'end':
        await this.input.end('ended_by_client');
        return;
      default:
        this.send({
          type: 'error',
          code: 'bad_message',
          message: `unknown command ${JSON.stringify(command.type)}`,
        });
    }
  }

  private fail(error: unknown): void {
    if (error instanceof AudioDecodeError) {
      this.close(
        error.httpStatus === 415 ? CLOSE_CODES.unsupportedAudio : CLOSE_CODES.badAudio,
        error.message,
      );
    } else if (error instanceof ApiError) {
      const status = error.getStatus();
      const code =
        status === 429
          ? CLOSE_CODES.rateLimited
          : status === 409
            ? CLOSE_CODES.sessionEnded
            : CLOSE_CODES.notFound;
      this.close(code, error.message);
    } else {
      this.close(CLOSE_CODES.internal, 'internal error');
    }
  }

  /**
   * The chunk's audio is stored: everything this client sent up to `end_ms` on the session's
   * timeline is safe, whatever happens to this replica. Audio after it that is still buffered here
   * (less than a chunk) is lost if the replica dies; a client resends from `end_ms` elsewhere.
   */
  chunkStored(chunk: { seq: number; start_ms: number; duration_ms: number }): void {
    this.send({
      type: 'chunk_accepted',
      seq: chunk.seq,
      start_ms: chunk.start_ms,
      end_ms: chunk.start_ms + chunk.duration_ms,
    });
  }

  /** Tells the client why (an error message and the close reason), then closes. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    if (code >= 4000 || code === CLOSE_CODES.internal) this.send({ type: 'error', code, message: reason });
    // Close reasons are limited to 123 bytes.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  /**
   * On server shutdown: buffered audio becomes a chunk whose end the client's next connection (on
   * another replica) repeats, then goodbye.
   */
  async shutdown(): Promise<void> {
    await this.enqueue(() => this.input.handover());
    this.close(CLOSE_CODES.goingAway, 'server shutting down; reconnect with last_event_id');
  }

  /** The peer went away: stop following; what it sent so far still gets transcribed. */
  async onClosed(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    await this.enqueue(() => this.input.close());
  }

  /** Drops a connection whose peer stopped answering (no close handshake possible). */
  terminate(): void {
    this.ws.terminate();
  }

  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  private send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

/** A text frame as a command object; null for anything else (bad JSON, `null`, a number, an array). */
function parseCommand(text: string): { type?: unknown } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}
