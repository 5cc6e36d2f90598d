import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InvalidRequestError, ServiceError, ServiceTimeoutError } from '@livetranslate/contracts';
import { ApiError, DOWNSTREAM, type DownstreamClients } from '@livetranslate/service-kit';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class TranslateTextDto {
  @ApiProperty({ example: 'good morning' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  text!: string;

  @ApiPropertyOptional({ example: 'en', description: 'ISO 639-1, or "auto" (the default)' })
  @IsOptional()
  @Matches(/^(auto|[a-z]{2,3}(-[A-Za-z]{2,4})?)$/, {
    message: 'source_language must be an ISO 639-1 code or "auto"',
  })
  source_language?: string;

  @ApiProperty({ example: 'es' })
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, { message: 'target_language must be an ISO 639-1 code' })
  target_language!: string;
}

@ApiTags('translate')
@ApiSecurity('api-key')
@Controller('api/translate')
export class TranslateController {
  constructor(@Inject(DOWNSTREAM) private readonly models: DownstreamClients) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Translate text through the translation service' })
  async translate(@Body() body: TranslateTextDto) {
    try {
      const result = await this.models.translation.translate({
        text: body.text,
        sourceLanguage: body.source_language ?? 'auto',
        targetLanguage: body.target_language,
      });
      return {
        translated_text: result.translatedText,
        source_language: result.sourceLanguage,
        target_language: result.targetLanguage,
        confidence: result.confidence,
        backend: result.backend,
      };
    } catch (error) {
      throw toApiError(error);
    }
  }
}

/** A downstream failure as the gateway reports it: the caller's mistake (4xx) or the service's (502–504). */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof ServiceError)) return error;
  if (error instanceof InvalidRequestError)
    return new ApiError(error.status ?? 400, error.code, error.message);
  if (error instanceof ServiceTimeoutError) return new ApiError(504, 'upstream_timeout', error.message);
  return new ApiError(error.code === 'circuit_open' ? 503 : 502, 'upstream_unavailable', error.message);
}
