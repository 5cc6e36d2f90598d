import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { WhisperConfig, WhisperSettingsUpdate } from './whisper-config.js';

/** Settings the config-sync worker pushes, and reads back to detect drift. */
@Controller('api/config')
export class ConfigController {
  constructor(private readonly config: WhisperConfig) {}

  @Get()
  current() {
    return { config: this.config.current(), checksum: this.config.checksum() };
  }

  @Post()
  @HttpCode(200)
  update(@Body() changes: WhisperSettingsUpdate) {
    this.config.update(changes);
    return this.current();
  }
}
