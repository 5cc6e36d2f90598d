import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiError } from '@livetranslate/service-kit';
import type { FastifyReply } from 'fastify';
import { LANGUAGES } from '../translation/dictionary.js';
import { TranslationService } from '../translation/translation.service.js';

/**
 * LibreTranslate's API over the same dictionary (`TRANSLATION_SERVICE_BACKEND=libretranslate`
 * points here as it would at a LibreTranslate server): `POST /translate`, `GET /languages`, and its
 * error shape, `{"error": "<message>"}` with a 400.
 */
@Controller()
export class LibreTranslateController {
  constructor(private readonly translation: TranslationService) {}

  @Get('languages')
  languages() {
    return Object.entries(LANGUAGES).map(([code, name]) => ({ code, name, targets: Object.keys(LANGUAGES) }));
  }

  @Post('translate')
  @HttpCode(200)
  translate(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const request = (body ?? {}) as { q?: unknown; source?: unknown; target?: unknown; format?: unknown };
    const missing = (['q', 'source', 'target'] as const).find(
      (field) => typeof request[field] !== 'string' || (request[field] as string).length === 0,
    );
    if (missing) return this.refuse(reply, `Invalid request: missing ${missing} parameter`);
    if (request.format !== undefined && request.format !== 'text' && request.format !== 'html')
      return this.refuse(reply, `${String(request.format)} format is not supported`);
    try {
      const result = this.translation.translate({
        text: request.q as string,
        source_language: request.source as string,
        target_language: request.target as string,
      });
      return {
        translatedText: result.translated_text,
        ...(request.source === 'auto'
          ? {
              detectedLanguage: {
                language: result.source_language,
                confidence: result.confidence_score * 100,
              },
            }
          : {}),
      };
    } catch (error) {
      if (error instanceof ApiError) return this.refuse(reply, error.message);
      throw error;
    }
  }

  private refuse(reply: FastifyReply, message: string) {
    reply.status(400);
    return { error: message };
  }
}
