import type { SessionCompleted } from '../events/audio.events.js';
import { EVENT_TYPES } from '../wire/event-types.js';
import type { SessionEvent, SessionInfo } from './gateway.types.js';
import type { SessionSocket } from './socket.js';

/** Close codes after which the same session can be continued on a new connection (the server went away). */
const RECONNECTABLE = new Set([1001, 1005, 1006, 1011, 1012, 1013, 1014]);

/**
 * A session WebSocket: audio out, events in (as an async iterator, which finishes when the
 * connection closes — after SessionCompleted the server closes it with 1000).
 */
export class SessionConnection {
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The session as the gateway saw it when the connection opened (its greeting). */
  readonly session: Promise<SessionInfo>;
  private readonly pending: SessionEvent[] = [];
  private readonly errors: Array<{ code: number | string; message: string }> = [];
  private waiters: Array<() => void> = [];
  private done = false;
  private closeInfo: { code: number; reason: string } | null = null;
  private sawSessionEnded = false;
  private completion: SessionCompleted | null = null;
  private acceptedUpTo: { seq: number; endMs: number } | null = null;
  private readonly acceptedListeners: Array<(accepted: { seq: number; endMs: number }) => void> = [];

  constructor(private readonly ws: SessionSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.onOpen(() => resolve());
      ws.onError(reject);
    });
    // Before the socket opened, an error also rejects `opened`; after, `closed` says how it ended.
    this.opened.catch(() => undefined);
    let greet: (session: SessionInfo) => void;
    this.session = new Promise((resolve) => (greet = resolve));
    this.closed = new Promise((resolve) => {
      ws.onClose((code, reason) => {
        this.done = true;
        this.closeInfo = { code, reason };
        this.notify();
        resolve(this.closeInfo);
      });
    });
    ws.onText((text) => {
      const message = JSON.parse(text) as {
        type: string;
        code?: number;
        message?: string;
        session?: SessionInfo;
      } & SessionEvent;
      if (message.type === 'event') {
        const { type: _type, ...event } = message;
        if (event.event_type === EVENT_TYPES.SessionEnded) this.sawSessionEnded = true;
        if (event.event_type === EVENT_TYPES.SessionCompleted)
          this.completion = event.payload as unknown as SessionCompleted;
        this.pending.push(event as SessionEvent);
        this.notify();
      } else if (message.type === 'session' && message.session) {
        greet(message.session);
      } else if (message.type === 'chunk_accepted') {
        const accepted = message as unknown as { seq: number; end_ms: number };
        if (!this.acceptedUpTo || accepted.end_ms > this.acceptedUpTo.endMs) {
          this.acceptedUpTo = { seq: accepted.seq, endMs: accepted.end_ms };
          for (const listener of this.acceptedListeners) listener(this.acceptedUpTo);
        }
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

  /** Calls `listener` each time a later chunk is stored. */
  onAccepted(listener: (accepted: { seq: number; endMs: number }) => void): void {
    this.acceptedListeners.push(listener);
  }

  /** How the connection closed, or null while it is open. */
  get closedWith(): { code: number; reason: string } | null {
    return this.closeInfo;
  }

  /** Closed because the server went away (not refused): the session can go on over a new connection. */
  get lostServer(): boolean {
    return this.closeInfo !== null && RECONNECTABLE.has(this.closeInfo.code);
  }

  /** The session's SessionEnded event arrived on this connection. */
  get sessionEnded(): boolean {
    return this.sawSessionEnded;
  }

  /** The session's totals once its SessionCompleted arrived (the server closes with 1000 after it). */
  get completed(): SessionCompleted | null {
    return this.completion;
  }

  /** Errors the server reported before closing (`{ code, message }`). */
  get serverErrors() {
    return [...this.errors];
  }

  sendAudio(frame: Uint8Array): void {
    this.ws.send(frame);
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

  /** Resolves once the SessionEnded event arrived or the connection closed. */
  async untilEndedOrClosed(): Promise<void> {
    while (!this.sawSessionEnded && !this.done) await this.change();
  }

  async *events(): AsyncGenerator<SessionEvent> {
    for (;;) {
      while (this.pending.length) yield this.pending.shift()!;
      if (this.done) return;
      await this.change();
    }
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
