import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { SessionEventsController } from './session-events.controller.js';
import { SessionFeed } from './session-feed.js';
import { SessionLogFanout } from './session-log-fanout.js';
import { TranscriptService } from './transcript.service.js';

/** Results to clients: the session log over SSE (and, through SessionFeed, WebSocket), transcripts. */
@Module({
  imports: [SessionsModule],
  controllers: [SessionEventsController],
  providers: [DeliveryMetrics, SessionLogFanout, SessionFeed, TranscriptService],
  exports: [DeliveryMetrics, SessionLogFanout, SessionFeed, TranscriptService],
})
export class DeliveryModule {}
