import { Inject, Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import {
  inSpan,
  partitionedStreamOf,
  type AudioChunkReceived,
  type AudioSourceType,
  type SpeakerTurn,
} from '@livetranslate/contracts';
import { decodeWav, encodePcmS16le, mixDown, pcm16ToWav } from '@livetranslate/audio';
import { ManagedRedis, StreamEventPublisher } from '@livetranslate/redis-streams';
import { ApiError, AUDIO_STORAGE, ConfigFollower } from '@livetranslate/service-kit';
import type { AudioStorage } from '@livetranslate/session-store';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { IngestMetrics } from './ingest-metrics.js';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';
import { SessionRepository, type SessionRecord } from './session.repository.js';

export interface ChunkToPublish {
  /** A WAV file holding the chunk. */
  wav: Buffer;
  sampleRate: number;
  channels: number;
  durationMs: number;
  overlapMs: number;
  trailingOverlapMs: number;
  /** Audio not heard in earlier chunks. */
  newAudioMs: number;
  source: AudioSourceType;
  /**
   * Client-paced chunks count against the per-session rate; server-side chunking does not, nor a
   * chunk its caller counted already (`checkChunkRate`, asked together with the session read).
   */
  rateLimited: boolean;
  /** Who spoke in the chunk's window (absolute session ms), when the source knows (bots). */
  speakersFor?: (startMs: number, endMs: number) => Promise<SpeakerTurn[]>;
  /** Publish only as this seq; when another chunk took it first, nothing is published. */
  expectedSeq?: number;
}

/** The audio so far of the chunk a live input is recording. */
export interface DraftToPublish {
  wav: Buffer;
  /** The seq the chunk will most likely get, and this draft's number (increasing per input). */
  seq: number;
  draft: number;
  startMs: number;
  durationMs: number;
}

const SUPERSEDED = 'chunk_superseded';

function reserveRefusal(sessionId: string, reason: 'not_found' | 'ended' | 'superseded'): ApiError {
  switch (reason) {
    case 'ended':
      return new ApiError(409, 'session_ended', `session ${sessionId} has ended and takes no more audio`);
    case 'superseded':
      return new ApiError(409, SUPERSEDED, `another chunk of session ${sessionId} took its place`);
    default:
      return new ApiError(404, 'session_not_found', `session ${sessionId} not found`);
  }
}

/** A draft's audio is only worth the seconds until the next one. */
const DRAFT_TTL_SECONDS = 30;

/** Stores a chunk's audio, places it on the session timeline and publishes AudioChunkReceived. */
@Injectable()
export class AudioIngest {
  /** One limiter per rate in force (the configured rate can change at run time). */
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly sessions: SessionRepository,
    private readonly publisher: StreamEventPublisher,
    private readonly metrics: IngestMetrics,
    private readonly connection: ManagedRedis,
    private readonly config: ConfigFollower,
  ) {}

  /** How often a live input sends its chunk so far for a draft (0: never). */
  get draftIntervalMs(): number {
    return this.settings.draftIntervalMs;
  }

  /** One span per chunk: its context rides in the AudioChunkReceived envelope to the worker. */
  publish(session: SessionRecord, chunk: ChunkToPublish): Promise<AudioChunkReceived> {
    return inSpan(
      '@livetranslate/ingest',
      'audio chunk',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'livetranslate.session_id': session.id,
          'livetranslate.source': chunk.source,
          'livetranslate.duration_ms': chunk.durationMs,
        },
      },
      async (span) => {
        const published = await this.publishChunk(session, chunk);
        span.setAttribute('livetranslate.seq', published.seq);
        return published;
      },
    );
  }

  private async publishChunk(session: SessionRecord, chunk: ChunkToPublish): Promise<AudioChunkReceived> {
    if (session.origin === 'bot' && chunk.source !== 'bot') {
      throw new ApiError(
        409,
        'bot_session',
        `session ${session.id} is fed by a meeting bot; it takes no audio from clients`,
      );
    }
    if (chunk.rateLimited) await this.checkChunkRate(session.tenantId, session.id);
    const reserved = await this.sessions.reserveChunk(
      session.id,
      chunk.newAudioMs,
      chunk.trailingOverlapMs,
      chunk.expectedSeq,
    );
    if (!reserved.ok) throw reserveRefusal(session.id, reserved.reason);
    const storageUri = this.storage.uriOf(session.id, reserved.seq);
    const payload: AudioChunkReceived = {
      session_id: session.id,
      chunk_id: `${session.id}:${reserved.seq}`,
      seq: reserved.seq,
      tenant_id: session.tenantId,
      source_type: chunk.source,
      storage_uri: storageUri,
      content_type: 'audio/wav',
      audio_config: { sample_rate: chunk.sampleRate, channels: chunk.channels, encoding: 'wav' },
      start_ms: Math.max(0, reserved.timelineMs - chunk.overlapMs),
      duration_ms: Math.max(1, chunk.durationMs),
      overlap_ms: chunk.overlapMs,
      trailing_overlap_ms: chunk.trailingOverlapMs,
      processing_flags: {
        transcribe: true,
        diarize: session.options.diarization,
        translate: session.options.target_languages.length > 0,
        target_languages: session.options.target_languages,
        source_language: session.options.source_language,
      },
    };
    if (chunk.speakersFor) {
      const speakers = await chunk.speakersFor(payload.start_ms, payload.start_ms + payload.duration_ms);
      if (speakers.length > 0) payload.speakers = speakers;
    }
    // Stored and recorded first (together: one write to Redis): the worker finds the audio, and a
    // replica dying before the event is out leaves what a repair needs to send it.
    await Promise.all([
      this.storage.put(session.id, reserved.seq, chunk.wav, this.settings.audioTtlSeconds),
      this.sessions.recordInFlight(session.id, reserved.seq, payload),
    ]);
    // Each session on its partition, so a worker sees its chunks in order on one stream.
    await this.publisher.publish('AudioChunkReceived', payload, {
      stream: partitionedStreamOf(
        this.settings.ingestStream,
        payload.session_id,
        this.settings.ingestPartitions,
      ),
    });
    this.metrics.chunksPublished.inc({ source: chunk.source });
    return payload;
  }

  /**
   * Sends the audio so far of a chunk being recorded for a draft: stored over the session's previous
   * draft (a short TTL: a draft is worth seconds) and announced on the drafts stream. Best effort —
   * a draft that fails is only a draft, so failures are counted, not thrown.
   */
  async publishDraft(session: SessionRecord, draft: DraftToPublish): Promise<void> {
    try {
      const storageUri = await this.storage.putDraft(session.id, draft.wav, DRAFT_TTL_SECONDS);
      await this.publisher.publish(
        'AudioDraftReceived',
        {
          session_id: session.id,
          tenant_id: session.tenantId,
          seq: draft.seq,
          draft: draft.draft,
          storage_uri: storageUri,
          start_ms: Math.max(0, Math.round(draft.startMs)),
          duration_ms: Math.max(1, Math.round(draft.durationMs)),
          ...(session.options.source_language !== 'auto'
            ? { source_language: session.options.source_language }
            : {}),
        },
        { stream: this.settings.draftStream },
      );
      this.metrics.draftsPublished.inc();
    } catch {
      this.metrics.draftsFailed.inc();
    }
  }

  /**
   * The end of the session's last chunk that its next chunk was to repeat, as PCM s16le mono (null
   * when there is none): the input that would have sent that next chunk went away. Read afresh: the
   * record an input was opened with may predate its predecessor's last chunk.
   */
  async pendingOverlap(session: SessionRecord): Promise<Buffer | null> {
    const current = await this.sessions.get(session.id);
    return current ? this.overlapOwedBy(current) : null;
  }

  /**
   * The session's input is ending with an overlap still owed (its last input went away and none
   * continued it): that overlap becomes the last chunk, so words in it are not lost. Published only
   * if no other chunk followed meanwhile. True when it was published.
   */
  async publishPendingOverlap(session: SessionRecord): Promise<boolean> {
    const current = await this.sessions.get(session.id);
    if (!current || current.status !== 'open') return false;
    const overlap = await this.overlapOwedBy(current);
    if (!overlap?.length) return false;
    const rate = current.options.sample_rate;
    const overlapMs = Math.round((overlap.length / 2 / rate) * 1000);
    try {
      await this.publish(current, {
        wav: pcm16ToWav(overlap, rate),
        sampleRate: rate,
        channels: 1,
        durationMs: overlapMs,
        overlapMs,
        trailingOverlapMs: 0,
        newAudioMs: 0,
        source: current.origin === 'bot' ? 'bot' : 'websocket',
        rateLimited: false,
        expectedSeq: current.chunks,
      });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === SUPERSEDED) return false;
      throw error;
    }
  }

  private async overlapOwedBy(session: SessionRecord): Promise<Buffer | null> {
    if (session.pendingOverlapMs <= 0 || session.chunks === 0) return null;
    const wav = await this.storage.getChunk(session.id, session.chunks - 1);
    if (!wav) return null;
    const pcm = encodePcmS16le(mixDown(decodeWav(wav)));
    const bytes = Math.round((session.pendingOverlapMs * session.options.sample_rate) / 1000) * 2;
    return pcm.subarray(Math.max(0, pcm.length - bytes));
  }

  /**
   * Counts a client-paced chunk against its session's rate (429 past it). Public so a caller that
   * still has to read the session can ask both at once; the bucket is the tenant's own for that
   * session, so a request naming another tenant's session spends nothing of that tenant's.
   */
  async checkChunkRate(tenantId: string, sessionId: string): Promise<void> {
    const points = this.config.effective(tenantId).limits.max_chunks_per_second;
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.connection.redis,
        keyPrefix: `${this.settings.keyPrefix}:chunk-rate`,
        points,
        duration: 1,
      });
      this.limiters.set(points, limiter);
    }
    try {
      await limiter.consume(`${tenantId}:${sessionId}`);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new ApiError(
          429,
          'rate_limited',
          `more than ${points} chunks per second for session ${sessionId}; retry in ${error.msBeforeNext} ms`,
        );
      }
      throw error;
    }
  }
}
