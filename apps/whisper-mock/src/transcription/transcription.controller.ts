import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseDto, readBinaryUpload } from '@livetranslate/service-kit';
import { OpenAiTranscriptionFields, TranscribeFields } from './transcribe-fields.js';
import { TranscriptionService } from './transcription.service.js';
import { toOpenAiVerbose } from './openai-format.js';

@Controller()
export class TranscriptionController {
  constructor(private readonly transcription: TranscriptionService) {}

  /** The Whisper service contract: multipart field `audio`, or a raw body with query fields. */
  @Post('transcribe')
  @HttpCode(200)
  async transcribe(@Req() request: FastifyRequest) {
    const upload = await readBinaryUpload(request, ['audio']);
    const fields = parseDto(TranscribeFields, upload.fields);
    return this.transcription.transcribe({
      audio: upload.bytes,
      ...(upload.contentType ? { contentType: upload.contentType } : {}),
      ...(fields.sample_rate ? { sampleRate: fields.sample_rate } : {}),
      ...(fields.channels ? { channels: fields.channels } : {}),
      ...(fields.language ? { language: fields.language } : {}),
      ...(fields.model ? { model: fields.model } : {}),
      ...(fields.enable_vad !== undefined ? { enableVad: fields.enable_vad } : {}),
      ...(fields.enable_diarization !== undefined ? { enableDiarization: fields.enable_diarization } : {}),
      ...(fields.session_id ? { sessionId: fields.session_id } : {}),
    });
  }

  /** OpenAI-compatible route, so the official SDK and common clients work unchanged. */
  @Post('v1/audio/transcriptions')
  async openAiTranscription(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const upload = await readBinaryUpload(request, ['file']);
    const fields = parseDto(OpenAiTranscriptionFields, upload.fields);
    const result = this.transcription.transcribe({
      audio: upload.bytes,
      ...(upload.contentType ? { contentType: upload.contentType } : {}),
      ...(fields.language ? { language: fields.language } : {}),
      // OpenAI model names (whisper-1, …) are not ours: use the configured default.
      model: undefined,
    });
    switch (fields.response_format ?? 'json') {
      case 'text':
        return reply.type('text/plain; charset=utf-8').send(result.text);
      case 'verbose_json':
        return reply.send(toOpenAiVerbose(result));
      default:
        return reply.send({ text: result.text });
    }
  }
}
