import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DetectRequest, TranslateRequest } from './translate.dto.js';
import { TranslationService } from './translation.service.js';

@Controller('api')
export class TranslationController {
  constructor(private readonly translation: TranslationService) {}

  @Post('translate')
  @HttpCode(200)
  translate(@Body() request: TranslateRequest) {
    return this.translation.translate(request);
  }

  @Post('detect')
  @HttpCode(200)
  detect(@Body() request: DetectRequest) {
    return this.translation.detect(request.text);
  }
}
