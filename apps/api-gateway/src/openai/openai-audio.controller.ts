import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantId } from '../auth/api-key.guard.js';
import { OpenAiAudio } from './openai-audio.service.js';

const FIELDS =
  'multipart: file (WAV), model (required), response_format (json | text | verbose_json | srt | vtt)';

/** `POST /v1/audio/transcriptions` and `/v1/audio/translations`, as the OpenAI SDKs call them. */
@ApiTags('openai')
@ApiSecurity('api-key')
@Controller('v1/audio')
export class OpenAiAudioController {
  constructor(private readonly audio: OpenAiAudio) {}

  @Post('transcriptions')
  @HttpCode(200)
  @ApiOperation({ summary: 'OpenAI-compatible transcription', description: `${FIELDS}, language` })
  @ApiConsumes('multipart/form-data')
  async transcriptions(
    @TenantId() tenantId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { type, body } = await this.audio.run('transcribe', tenantId, request);
    return reply.type(type).send(body);
  }

  @Post('translations')
  @HttpCode(200)
  @ApiOperation({ summary: 'OpenAI-compatible translation into English', description: FIELDS })
  @ApiConsumes('multipart/form-data')
  async translations(
    @TenantId() tenantId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { type, body } = await this.audio.run('translate', tenantId, request);
    return reply.type(type).send(body);
  }
}
