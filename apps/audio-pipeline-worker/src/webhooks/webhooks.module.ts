import { Module } from '@nestjs/common';
import { WebhookDelivery } from './webhook-delivery.js';

/** Delivers webhooks for the whole platform (the gateway and the bot-worker only queue them). */
@Module({ providers: [WebhookDelivery] })
export class WebhooksModule {}
