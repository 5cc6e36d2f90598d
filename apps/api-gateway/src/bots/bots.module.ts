import { Module } from '@nestjs/common';
import { BotsController } from './bots.controller.js';
import { BotsService } from './bots.service.js';

/** `/api/bots`: send, list, read and stop meeting bots (run by the bot-worker). */
@Module({ controllers: [BotsController], providers: [BotsService] })
export class BotsModule {}
