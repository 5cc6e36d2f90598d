import { Injectable } from '@nestjs/common';
import type { AudioChunkReceived, AudioSourceType } from '@livetranslate/contracts';
import { AudioIngest, type ChunkToPublish } from './audio-ingest.js';
import { ChunkAssembler, type AssembledChunk } from './chunk-assembler.js';
import { LiveInputs } from './live-inputs.js';
import { SessionLifecycle } from './session-lifecycle.js';
import type { SessionRecord } from './session.repository.js';

/**
 * One live input into a session (a client's socket, a bot's capture): PCM s16le mono at the
 * session's rate goes in, chunks of the session's length and overlap come out as AudioChunkReceived.
 * Work is done strictly in order; ending the session from anywhere on this replica first turns what
 * is buffered here into a last chunk.
 */
export interface LiveStreamOptions {
  /** Who spoke in each chunk's window (bots, from the meeting's captions). */
  speakersFor?: ChunkToPublish['speakersFor'];
  /** Called once a chunk's audio is stored and published: the input's audio up to its end is safe. */
  onStored?: (chunk: AudioChunkReceived) => void;
}

export class LiveAudioStream {
  private readonly assembler: ChunkAssembler;
  private tail: Promise<unknown> = Promise.resolve();
  private unregister?: () => void;
  private ended: boolean;
  private continued = false;
  /** The chunk being recorded: its likely seq and where its new audio starts; drafts sent so far. */
  private next: { seq: number; startMs: number };
  private drafts = 0;
  private draftedMs = 0;

  constructor(
    private readonly session: SessionRecord,
    private readonly source: AudioSourceType,
    private readonly ingest: AudioIngest,
    inputs: LiveInputs,
    private readonly lifecycle: SessionLifecycle,
    private readonly options: LiveStreamOptions = {},
  ) {
    const o = session.options;
    this.assembler = new ChunkAssembler(o.sample_rate, o.chunk_ms, o.overlap_ms);
    this.ended = session.status !== 'open';
    if (!this.ended) {
      this.unregister = inputs.register(session.id, (mode) =>
        mode === 'handover' ? this.handover() : this.flush(),
      );
    }
    this.next = { seq: session.chunks, startMs: session.timelineMs };
  }

  /** PCM pushed here is s16le mono at this rate (the session's). */
  get sampleRate(): number {
    return this.session.options.sample_rate;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Audio received but not yet in a chunk, in ms. */
  get bufferedMs(): number {
    return this.assembler.bufferedMs;
  }

  /** Adds audio; publishes every chunk it completes. Rejects (409) once the session has ended. */
  push(pcm: Buffer): Promise<void> {
    return this.serial(async () => {
      await this.continueSession();
      const chunks = this.assembler.push(pcm);
      for (const chunk of chunks) await this.publish(chunk);
      if (chunks.length > 0) this.draftedMs = 0;
      await this.draftIfDue();
    });
  }

  /**
   * Every `draftIntervalMs` of audio into a chunk not yet cut, sends what it holds so far for a
   * draft (live inputs only: an upload is cut whole at once).
   */
  private async draftIfDue(): Promise<void> {
    const interval = this.ingest.draftIntervalMs;
    if (interval <= 0 || this.ended || this.assembler.bufferedMs - this.draftedMs < interval) return;
    const partial = this.assembler.inProgress();
    if (!partial) return;
    this.draftedMs = this.assembler.bufferedMs;
    await this.ingest.publishDraft(this.session, {
      wav: partial.wav,
      seq: this.next.seq,
      draft: this.drafts++,
      startMs: this.next.startMs - partial.overlapMs,
      durationMs: partial.durationMs,
    });
  }

  /** Publishes what is buffered as a last chunk (nothing when the session has ended). */
  flush(): Promise<void> {
    return this.serial(async () => {
      await this.continueSession();
      const last = this.assembler.flush();
      if (last && !this.ended) await this.publish(last);
    });
  }

  /**
   * Publishes what is buffered as a chunk whose end the session's next input repeats: this input is
   * being replaced (its client resumes elsewhere, its replica shuts down), the session goes on.
   */
  handover(): Promise<void> {
    return this.serial(async () => {
      await this.continueSession();
      const chunk = this.assembler.handover();
      this.draftedMs = 0;
      if (chunk && !this.ended) await this.publish(chunk);
    });
  }

  /** Flushes, then ends the session for every input with `reason`. */
  async end(reason: string): Promise<SessionRecord> {
    await this.flush();
    this.detach();
    this.ended = true;
    return this.lifecycle.end(this.session, reason);
  }

  /**
   * The input went away (socket closed, bot left) but not the session: what it sent so far still
   * gets transcribed, and whoever continues the session starts by repeating its last overlap (when
   * nobody does, the session's end publishes that overlap as its last chunk).
   */
  async close(): Promise<void> {
    await this.handover();
    this.detach();
  }

  /**
   * Once, before the first audio: when the input before this one died between chunks, this one
   * repeats that input's last overlap, so the words at the cut are still heard whole.
   */
  private async continueSession(): Promise<void> {
    if (this.continued || this.ended) return;
    this.continued = true;
    const overlap = await this.ingest.pendingOverlap(this.session);
    if (overlap) this.assembler.continueAfter(overlap);
  }

  private detach(): void {
    this.unregister?.();
    this.unregister = undefined;
  }

  private async publish(chunk: AssembledChunk): Promise<void> {
    const rate = this.session.options.sample_rate;
    const speakersFor = this.options.speakersFor;
    const stored = await this.ingest.publish(this.session, {
      wav: chunk.wav,
      sampleRate: rate,
      channels: 1,
      durationMs: chunk.durationMs,
      overlapMs: chunk.overlapMs,
      trailingOverlapMs: chunk.trailingOverlapMs,
      newAudioMs: chunk.newAudioMs,
      source: this.source,
      // A live client paces its own chunks; a bot's capture runs at the meeting's real-time pace.
      rateLimited: this.source === 'websocket',
      ...(speakersFor ? { speakersFor } : {}),
    });
    // The next chunk's new audio starts where this one ends (its repeated overlap comes before).
    this.next = { seq: stored.seq + 1, startMs: stored.start_ms + stored.duration_ms };
    this.options.onStored?.(stored);
  }

  /** Runs `task` after everything queued before it; a failure rejects this call only. */
  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Opens live inputs into sessions. */
@Injectable()
export class LiveStreams {
  constructor(
    private readonly ingest: AudioIngest,
    private readonly inputs: LiveInputs,
    private readonly lifecycle: SessionLifecycle,
  ) {}

  open(session: SessionRecord, source: AudioSourceType, options: LiveStreamOptions = {}): LiveAudioStream {
    return new LiveAudioStream(session, source, this.ingest, this.inputs, this.lifecycle, options);
  }
}
