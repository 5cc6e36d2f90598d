import {
  AudioDecodeError,
  decodeWav,
  encodePcmS16le,
  isWav,
  mixDown,
  pcm16ToWav,
} from '@livetranslate/audio';
import { ApiError } from '@livetranslate/service-kit';
import type { WebSocket } from 'ws';
import { AudioIngest } from '../audio/audio-ingest.service.js';
import { ChunkAssembler, type AssembledChunk } from '../audio/chunk-assembler.js';
import { toClientEvent } from '../delivery/client-event.js';
import type { SessionLogFanout } from '../delivery/session-log-fanout.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { LiveInputs } from '../sessions/live-inputs.js';
import type { SessionRecord } from '../sessions/session.repository.js';
import type { SessionService } from '../sessions/session.service.js';
import { CLOSE_CODES } from './close-codes.js';

export interface SocketDeps {
  ingest: AudioIngest;
  fanout: SessionLogFanout;
  sessions: SessionService;
  inputs: LiveInputs;
  metrics: GatewayMetrics;
}

/**
 * One client connection to one session: binary frames are audio (PCM s16le mono at the session's
 * rate, or WAV), text frames are JSON commands; the session's log flows back as JSON events.
 * Frames are handled strictly in order; the audio still buffered becomes a last chunk on close.
 */
export class SessionSocket {
  private readonly assembler: ChunkAssembler;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private unregister?: () => void;
  private ended: boolean;
  private closed = false;
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly session: SessionRecord,
    private readonly baseUrl: string,
    private readonly deps: SocketDeps,
  ) {
    const o = session.options;
    this.assembler = new ChunkAssembler(o.sample_rate, o.chunk_ms, o.overlap_ms);
    this.ended = session.status !== 'open';
  }

  /** Listens at once (so no early frame is lost), then replays the log after `lastEventId` and goes live. */
  start(lastEventId: string): void {
    this.ws.on('message', (data, isBinary) => {
      const frame = Buffer.isBuffer(data)
        ? data
        : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      this.enqueue(() => (isBinary ? this.onAudio(frame) : this.onCommand(frame.toString('utf8'))));
    });
    this.ws.on('pong', () => (this.alive = true));
    this.ws.on('close', () => void this.onClose());
    this.ws.on('error', () => undefined); // 'close' follows
    if (!this.ended)
      this.unregister = this.deps.inputs.register(this.session.id, () => this.enqueue(() => this.flush()));
    this.enqueue(async () => {
      this.send({ type: 'session', session: this.deps.sessions.view(this.session, this.baseUrl) });
      this.unsubscribe = await this.deps.fanout.subscribe(this.session.id, lastEventId, (entry) => {
        this.send({ type: 'event', ...toClientEvent(entry) });
        this.deps.metrics.eventsDelivered.inc({ channel: 'websocket' });
      });
      if (this.closed) this.unsubscribe();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => this.fail(error));
    return this.queue;
  }

  private async onAudio(frame: Buffer): Promise<void> {
    if (this.ended) return this.close(CLOSE_CODES.sessionEnded, 'session has ended; it takes no more audio');
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
    for (const chunk of this.assembler.push(pcm)) await this.publish(chunk);
  }

  private async onCommand(text: string): Promise<void> {
    let command: { type?: unknown };
    try {
      command = JSON.parse(text) as { type?: unknown };
    } catch {
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
        // Flush here, then end without asking this socket to flush again.
        await this.flush();
        this.unregister?.();
        this.unregister = undefined;
        this.ended = true;
        await this.deps.sessions.end(this.session.tenantId, this.session.id, 'ended_by_client');
        return;
      default:
        this.send({
          type: 'error',
          code: 'bad_message',
          message: `unknown command ${JSON.stringify(command.type)}`,
        });
    }
  }

  private async flush(): Promise<void> {
    const last = this.assembler.flush();
    if (last && !this.ended) await this.publish(last);
  }

  private async publish(chunk: AssembledChunk): Promise<void> {
    const rate = this.session.options.sample_rate;
    await this.deps.ingest.publish(this.session, {
      wav: pcm16ToWav(chunk.pcm, rate),
      sampleRate: rate,
      channels: 1,
      durationMs: chunk.durationMs,
      overlapMs: chunk.overlapMs,
      trailingOverlapMs: chunk.trailingOverlapMs,
      newAudioMs: chunk.newAudioMs,
      source: 'websocket',
      rateLimited: true,
    });
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

  /** Tells the client why (an error message and the close reason), then closes. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    if (code >= 4000 || code === CLOSE_CODES.internal) this.send({ type: 'error', code, message: reason });
    // Close reasons are limited to 123 bytes.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  /** On server shutdown: turn buffered audio into a last chunk, then say goodbye. */
  async shutdown(): Promise<void> {
    await this.enqueue(() => this.flush());
    this.close(CLOSE_CODES.goingAway, 'server shutting down; reconnect with last_event_id');
  }

  private async onClose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.deps.metrics.openSockets.dec();
    this.unsubscribe?.();
    // A client that drops mid-stream may resume elsewhere: what it sent so far still gets transcribed.
    await this.enqueue(() => this.flush());
    this.unregister?.();
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
