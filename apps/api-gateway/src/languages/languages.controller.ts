import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { MAX_TARGET_LANGUAGES } from '@livetranslate/contracts';
import { SupportedLanguages } from './supported-languages.js';

export class LanguageView {
  @ApiProperty({ example: 'es' })
  code!: string;

  @ApiProperty({ example: 'Spanish' })
  name!: string;
}

export class LanguagesView {
  @ApiProperty({ type: [LanguageView] })
  languages!: LanguageView[];

  @ApiProperty({
    example: MAX_TARGET_LANGUAGES,
    description: 'Most target languages one session may ask for',
  })
  max_target_languages!: number;
}

@ApiTags('translate')
@ApiSecurity('api-key')
@Controller('api/languages')
export class LanguagesController {
  constructor(private readonly languages: SupportedLanguages) {}

  @Get()
  @ApiOperation({
    summary:
      'Languages sessions, uploads and bots may ask for (from the translation service, cached for a minute)',
  })
  @ApiOkResponse({ type: LanguagesView })
  async list(): Promise<LanguagesView> {
    return { languages: await this.languages.list(), max_target_languages: MAX_TARGET_LANGUAGES };
  }
}
