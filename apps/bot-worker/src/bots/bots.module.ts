import { Module } from '@nestjs/common';
import { MeetingDrivers } from '../drivers/meeting-drivers.js';
import { BotControlHandler } from './bot-control.handler.js';
import { BotControl } from './bot-control.service.js';
import { BotLifecycleProcessor } from './bot-lifecycle.processor.js';
import { BotMetrics } from './bot-metrics.js';
import { BotRunner } from './bot-runner.js';
import { BotStateMachine } from './bot-state.js';

/** Bot commands in, bot jobs run, bot states out. */
@Module({
  controllers: [BotControlHandler],
  providers: [BotMetrics, BotStateMachine, BotRunner, BotControl, BotLifecycleProcessor, MeetingDrivers],
})
export class BotsModule {}
