import { Module } from '@nestjs/common';
import { TranslateController } from './translate.controller.js';

/** `POST /api/translate`: text through the translation service. */
@Module({ controllers: [TranslateController] })
export class TranslateModule {}
