import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { TranslationConfig, TranslationSettingsUpdate } from './translation-config.js';

/** Settings the config-sync worker pushes, and reads back to detect drift. */
@Controller('api/config')
export class ConfigController {
  constructor(private readonly config: TranslationConfig) {}

  @Get()
  current() {
    return { config: this.config.current(), checksum: this.config.checksum() };
  }

  @Post()
  @HttpCode(200)
  update(@Body() changes: TranslationSettingsUpdate) {
    this.config.update(changes);
    return this.current();
  }
}
