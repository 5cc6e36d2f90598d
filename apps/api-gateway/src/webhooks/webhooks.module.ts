import { Global, Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { WebhookUrls } from './webhook-urls.js';
import { WebhooksController } from './webhooks.controller.js';

/** Webhook URLs checked at the door, and each session's delivery log (`GET /api/sessions/:id/webhooks`). */
@Global()
@Module({
  imports: [SessionsModule],
  controllers: [WebhooksController],
  providers: [WebhookUrls],
  exports: [WebhookUrls],
})
export class WebhooksModule {}
