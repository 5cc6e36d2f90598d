import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@livetranslate/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KeyRate, KeyRateInHandler, TenantId, type KeyBudget } from '../auth/api-key.guard.js';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { baseUrlOf } from '../sessions/base-url.js';
import { SessionService } from '../sessions/session.service.js';
import { chunkAudio } from './audio-decoding.js';
import { AudioIngest } from '@livetranslate/ingest';
import { ChunkQueryDto, UploadQueryDto } from './audio.dto.js';
import { UploadReader } from './upload-reader.js';
import { UploadService } from './upload.service.js';

@ApiTags('audio')
@ApiSecurity('api-key')
@Controller('api')
export class AudioController {
  constructor(
    private readonly sessions: SessionService,
    private readonly ingest: AudioIngest,
    private readonly uploads: UploadService,
    private readonly reader: UploadReader,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Post('sessions/:id/audio')
  @KeyRateInHandler()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'One audio chunk: WAV, WebM/Opus, Ogg/Opus or MP3 (resampled to the session rate), or raw PCM s16le mono with ?sample_rate',
  })
  @ApiConsumes('audio/wav', 'application/octet-stream', 'multipart/form-data')
  async chunk(
    @TenantId() tenantId: string,
    @KeyRate() keyRate: KeyBudget,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ChunkQueryDto,
    @Req() request: FastifyRequest,
  ) {
    // The key's request budget, the session read and the chunk rate do not depend on each other:
    // asked together, they cost one round trip to Redis rather than three in a row. A key past its
    // budget is refused before anything is stored; a missing session answers 404 either way.
    const [budget, found, rate] = await Promise.allSettled([
      keyRate.spent,
      this.sessions.find(tenantId, id),
      this.ingest.checkChunkRate(tenantId, id),
    ]);
    if (budget.status === 'rejected') throw budget.reason;
    if (found.status === 'rejected') throw found.reason;
    if (rate.status === 'rejected') throw rate.reason;
    const session = found.value;
    if (session.status !== 'open')
      throw new ApiError(409, 'session_ended', `session ${id} has ended and takes no more audio`);
    const upload = await this.reader.read(tenantId, request, this.env.MAX_CHUNK_BYTES);
    const audio = await chunkAudio(upload.bytes, {
      sampleRate: query.sample_rate,
      targetRate: session.options.sample_rate,
    });
    if (audio.durationMs < 1) throw new ApiError(400, 'invalid_audio', 'the chunk holds no audio');
    const length = Math.round(audio.durationMs);
    const chunk = await this.ingest.publish(session, {
      wav: audio.wav,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      durationMs: length,
      overlapMs: 0,
      trailingOverlapMs: 0,
      newAudioMs: length,
      source: 'upload',
      rateLimited: false, // counted above, with the session read
    });
    return {
      session_id: id,
      chunk_id: chunk.chunk_id,
      seq: chunk.seq,
      start_ms: chunk.start_ms,
      duration_ms: chunk.duration_ms,
    };
  }

  @Post('audio/upload')
  @ApiOperation({
    summary:
      'A whole file (WAV, WebM/Opus, Ogg/Opus or MP3): a new session, chunked server-side; with wait=true, answers with the finished transcript',
  })
  @ApiConsumes('multipart/form-data', 'audio/wav', 'application/octet-stream')
  async upload(
    @TenantId() tenantId: string,
    @Query() _query: UploadQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const upload = await this.reader.read(tenantId, request, this.env.MAX_UPLOAD_BYTES);
    const result = await this.uploads.upload(tenantId, upload.bytes, upload.fields);
    const session = this.sessions.view(result.session, baseUrlOf(request));
    // 202: accepted; its `state` says how far it is (results arrive on its events).
    if (!result.transcript) return reply.status(202).send(session);
    return reply
      .status(result.transcript.complete ? 200 : 202)
      .send({ ...session, transcript: result.transcript });
  }
}
