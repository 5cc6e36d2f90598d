import type { SessionConnection } from './session-connection.js';

export interface StreamAudioOptions {
  /** Send in real time: one frame of `frameMs` audio every `frameMs`. Needs the PCM rate. */
  paced?: boolean;
  sampleRate?: number;
  frameMs?: number;
  /** Send `{"type":"end"}` after the last frame (the session ends; results keep coming). */
  end?: boolean;
  lastEventId?: string;
  /**
   * When the gateway goes away mid-stream (the connection is lost, not refused), reconnect — to the
   * next of the client's URLs — and resend the PCM the gateway had not stored, from the session's
   * `audio_ms`. `false` turns it off; WAV frames are never resent.
   */
  reconnect?: { attempts?: number; delayMs?: number } | false;
  /** Told about each reconnect: where to, and how much audio was sent again. */
  onReconnect?: (info: { url: string; attempt: number; resentMs: number }) => void;
}

/** Opens a connection to the session through the URL at `index` (mod the URLs the client knows). */
export type OpenConnection = (index: number) => { url: string; connection: SessionConnection };

const isWav = (frame: Uint8Array) =>
  frame.length >= 4 && frame[0] === 0x52 && frame[1] === 0x49 && frame[2] === 0x46 && frame[3] === 0x46;

/**
 * Streams one client's audio into a session over WebSocket and survives losing its gateway: it keeps
 * the PCM the gateway has not yet acknowledged as stored (`chunk_accepted`), and after a lost
 * connection opens a new one and sends again everything after the session's stored `audio_ms`. The
 * client's audio is assumed to be the session's only input, starting at the `audio_ms` it found.
 */
export class ResumingAudioSender {
  private connection!: SessionConnection;
  private urlIndex = 0;
  /** Session timeline ms where this client's first byte lands. */
  private origin = 0;
  private sampleRate = 16_000;
  /** PCM not yet acknowledged, starting at client byte `retainedFrom`. */
  private retained: Buffer[] = [];
  private retainedFrom = 0;
  private sentBytes = 0;
  private resumable: boolean;
  /** The session ended while reconnecting: nothing more to send. */
  private sessionOver = false;

  constructor(
    private readonly open: OpenConnection,
    private readonly options: StreamAudioOptions,
  ) {
    this.resumable = options.reconnect !== false;
  }

  async run(source: AsyncIterable<Uint8Array>): Promise<SessionConnection> {
    await this.connect(0);
    const session = await this.connection.session;
    this.origin = session.audio_ms;
    this.sampleRate = session.options.sample_rate;
    const frameMs = this.options.frameMs ?? 100;
    const rate = this.options.sampleRate ?? this.sampleRate;
    const frameBytes = this.options.paced ? Math.round((rate * frameMs) / 1000) * 2 : 0;
    const started = performance.now();
    let sentMs = 0;
    let carry = Buffer.alloc(0);
    const pace = async () => {
      if (!this.options.paced) return;
      sentMs += frameMs;
      const wait = started + sentMs - frameMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    };
    for await (const piece of source) {
      if (!this.options.paced) {
        if (!(await this.send(Buffer.from(piece)))) return this.connection;
        continue;
      }
      carry = Buffer.concat([carry, Buffer.from(piece)]);
      while (carry.length >= frameBytes) {
        await pace();
        if (!(await this.send(carry.subarray(0, frameBytes)))) return this.connection;
        carry = carry.subarray(frameBytes);
      }
    }
    if (carry.length) {
      await pace();
      if (!(await this.send(carry))) return this.connection;
    }
    if (this.options.end) await this.finish();
    return this.connection;
  }

  /** Sends a frame, reconnecting first if the gateway went away; false when the stream cannot go on. */
  private async send(frame: Buffer): Promise<boolean> {
    if (this.connection.closedWith && !(await this.recover())) return false;
    if (isWav(frame)) this.resumable = false;
    if (this.resumable) this.retained.push(frame);
    this.sentBytes += frame.length;
    this.connection.sendAudio(frame);
    return true;
  }

  /** Ends the input and waits until the session says so, sending the tail again if the gateway died first. */
  private async finish(): Promise<void> {
    for (;;) {
      if (this.connection.closedWith && !(await this.recover())) return;
      this.connection.end();
      await this.connection.untilEndedOrClosed();
      if (this.connection.sessionEnded || !this.connection.lostServer) return;
    }
  }

  /** After a lost connection: reconnects and resends what the session has not stored. */
  private async recover(): Promise<boolean> {
    if (this.sessionOver || !this.resumable || !this.connection.lostServer) return false;
    const attempts = (this.options.reconnect || undefined)?.attempts ?? 8;
    let delay = (this.options.reconnect || undefined)?.delayMs ?? 250;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const url = await this.connect(this.urlIndex + 1);
        const session = await this.connection.session;
        if (session.status !== 'open') {
          this.sessionOver = true;
          return false;
        }
        const resentBytes = this.resend(session.audio_ms);
        this.options.onReconnect?.({
          url,
          attempt,
          resentMs: Math.round((resentBytes / 2 / this.sampleRate) * 1000),
        });
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 2_000);
      }
    }
    return false;
  }

  private async connect(index: number): Promise<string> {
    this.urlIndex = index;
    const { url, connection } = this.open(index);
    this.connection = connection;
    connection.onAccepted(({ endMs }) => this.forget(this.bytesAt(endMs)));
    await Promise.race([
      connection.opened.then(() => connection.session),
      connection.closed.then((closed) => {
        throw new Error(`connection closed before the session greeting (${closed.code})`);
      }),
    ]);
    return url;
  }

  /** Client byte offset of a point on the session timeline. */
  private bytesAt(sessionMs: number): number {
    return Math.max(0, Math.round(((sessionMs - this.origin) * this.sampleRate) / 1000) * 2);
  }

  /** Drops retained audio before client byte `until`: the gateway stored it. */
  private forget(until: number): void {
    while (this.retained.length && this.retainedFrom + this.retained[0]!.length <= until) {
      this.retainedFrom += this.retained.shift()!.length;
    }
  }

  /** Sends the retained audio after `storedMs` on the new connection; returns the bytes sent. */
  private resend(storedMs: number): number {
    const from = Math.max(this.bytesAt(storedMs), this.retainedFrom);
    this.forget(from);
    const pcm = Buffer.concat(this.retained).subarray(from - this.retainedFrom);
    const second = this.sampleRate * 2; // frames of a second stay far under the gateway's frame limit
    for (let at = 0; at < pcm.length; at += second) this.connection.sendAudio(pcm.subarray(at, at + second));
    return pcm.length;
  }
}
