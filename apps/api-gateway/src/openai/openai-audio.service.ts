import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@livetranslate/service-kit';
import type { FastifyRequest } from 'fastify';
import { UploadReader } from '../audio/upload-reader.js';
import { UploadService } from '../audio/upload.service.js';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import {
  formatAudioResult,
  RESPONSE_FORMATS,
  type AudioResult,
  type ResponseFormat,
  type TimedText,
} from './openai-formats.js';

/** OpenAI's translations endpoint translates into English, and only into English. */
const TRANSLATION_TARGET = 'en';

/**
 * OpenAI's audio API over the platform's own pipeline: the file becomes an upload session
 * (chunked, transcribed, translated like any other), awaited to its SessionCompleted, and its log
 * is answered in the format asked for. `model` is required, as OpenAI requires it, and otherwise
 * informational: the deployment's Whisper service does the work.
 */
@Injectable()
export class OpenAiAudio {
  constructor(
    private readonly uploads: UploadService,
    private readonly reader: UploadReader,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async run(
    task: AudioResult['task'],
    tenantId: string,
    request: FastifyRequest,
  ): Promise<{ type: string; body: string }> {
    const upload = await this.reader.read(tenantId, request, this.env.MAX_UPLOAD_BYTES);
    const { model, language, response_format: asked = 'json' } = upload.fields;
    if (!model) throw new ApiError(400, 'missing_model', 'model is required (e.g. "whisper-1")');
    if (!(RESPONSE_FORMATS as readonly string[]).includes(asked))
      throw new ApiError(
        400,
        'invalid_response_format',
        `response_format must be one of ${RESPONSE_FORMATS.join(', ')} (got "${asked}")`,
      );
    const { session, transcript, results } = await this.uploads.upload(tenantId, upload.bytes, {
      wait: 'true',
      target_languages: task === 'translate' ? TRANSLATION_TARGET : '',
      ...(task === 'transcribe' && language ? { source_language: language } : {}),
    });
    if (!transcript?.complete)
      throw new ApiError(
        504,
        'timeout',
        `the audio was not processed within ${this.env.UPLOAD_WAIT_TIMEOUT_MS} ms; its session ${session.id} goes on`,
        { session_id: session.id },
      );
    const failure = transcript.failures[0];
    if (failure)
      throw new ApiError(502, 'upstream_unavailable', `${failure.stage} failed: ${failure.message}`, {
        session_id: session.id,
      });
    const chunks = results!.chunks(TRANSLATION_TARGET).map((c) => ({
      segments: c.segments.map((s) => ({ startMs: s.start_ms, endMs: s.end_ms, text: s.text })),
      translated: c.translated,
    }));
    const segments: TimedText[] =
      task === 'transcribe'
        ? chunks.flatMap((c) => c.segments)
        : chunks
            .filter((c) => c.translated && c.segments.length > 0)
            .map((c) => ({
              startMs: c.segments[0]!.startMs,
              endMs: c.segments.at(-1)!.endMs,
              text: c.translated!,
            }));
    const text =
      task === 'transcribe' ? transcript.text : (transcript.translations[TRANSLATION_TARGET]?.text ?? '');
    return formatAudioResult(
      { task, language: transcript.language, durationMs: session.timelineMs, text, segments },
      asked as ResponseFormat,
    );
  }
}
