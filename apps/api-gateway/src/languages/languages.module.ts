import { Global, Module } from '@nestjs/common';
import { LanguagesController } from './languages.controller.js';
import { SupportedLanguages } from './supported-languages.js';

/** `GET /api/languages`, and the check sessions, uploads and bots pass their languages through. */
@Global()
@Module({
  controllers: [LanguagesController],
  providers: [SupportedLanguages],
  exports: [SupportedLanguages],
})
export class LanguagesModule {}
