import { Inject, Injectable } from '@nestjs/common';
import type { AudioChunkReceived, AudioSourceType } from '@livetranslate/contracts';
import { StreamEventPublisher, ManagedRedis } from '@livetranslate/redis-streams';
import { ApiError } from '@livetranslate/service-kit';
import type { AudioStorage } from '@livetranslate/session-store';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { SessionRepository, type SessionRecord } from '../sessions/session.repository.js';
import { AUDIO_STORAGE } from './tokens.js';

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
  /** Client-paced chunks count against the per-session rate; server-side chunking does not. */
  rateLimited: boolean;
}

/** Stores a chunk's audio, places it on the session timeline and publishes AudioChunkReceived. */
@Injectable()
export class AudioIngest {
  private readonly limiter: RateLimiterRedis;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly sessions: SessionRepository,
    private readonly publisher: StreamEventPublisher,
    private readonly metrics: GatewayMetrics,
    connection: ManagedRedis,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: connection.redis,
      keyPrefix: `${env.REDIS_KEY_PREFIX}:chunk-rate`,
      points: env.MAX_CHUNKS_PER_SECOND,
      duration: 1,
    });
  }

  async publish(session: SessionRecord, chunk: ChunkToPublish): Promise<AudioChunkReceived> {
    if (chunk.rateLimited) await this.checkRate(session.id);
    const reserved = await this.sessions.reserveChunk(session.id, chunk.newAudioMs);
    if (!reserved.ok) {
      throw reserved.reason === 'ended'
        ? new ApiError(409, 'session_ended', `session ${session.id} has ended and takes no more audio`)
        : new ApiError(404, 'session_not_found', `session ${session.id} not found`);
    }
    const storageUri = await this.storage.put(
      session.id,
      reserved.seq,
      chunk.wav,
      this.env.AUDIO_TTL_SECONDS,
    );
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
    await this.publisher.publish('AudioChunkReceived', payload);
    this.metrics.chunksPublished.inc({ source: chunk.source });
    return payload;
  }

  private async checkRate(sessionId: string): Promise<void> {
    try {
      await this.limiter.consume(sessionId);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new ApiError(
          429,
          'rate_limited',
          `more than ${this.env.MAX_CHUNKS_PER_SECOND} chunks per second for session ${sessionId}; retry in ${error.msBeforeNext} ms`,
        );
      }
      throw error;
    }
  }
}
