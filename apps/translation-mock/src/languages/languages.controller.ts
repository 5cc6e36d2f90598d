import { Controller, Get } from '@nestjs/common';
import { LANGUAGES } from '../translation/dictionary.js';

@Controller('api/languages')
export class LanguagesController {
  @Get()
  list() {
    return { languages: Object.entries(LANGUAGES).map(([code, name]) => ({ code, name })) };
  }
}
