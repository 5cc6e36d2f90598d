import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { BotRequested, BotStopRequested } from '@livetranslate/contracts';
import { OnEvent, StreamErrorFilter } from '@livetranslate/redis-streams';
import { BotControl } from './bot-control.service.js';

// Keeps the handler's own error (not Nest's "Internal server error") for logs and dead letters.
@UseFilters(StreamErrorFilter)
@Controller()
export class BotControlHandler {
  constructor(private readonly control: BotControl) {}

  @OnEvent('BotRequested')
  requested(@Payload() command: BotRequested) {
    return this.control.request(command);
  }

  @OnEvent('BotStopRequested')
  stop(@Payload() command: BotStopRequested) {
    return this.control.stop(command);
  }
}
