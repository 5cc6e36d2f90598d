import { Inject, Injectable } from '@nestjs/common';
import { ApiError, refuseWebhookUrl } from '@livetranslate/service-kit';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/** Checks a session's or bot's `webhook_url` before anything is created. */
@Injectable()
export class WebhookUrls {
  constructor(@Inject(GATEWAY_ENV) private readonly env: GatewayEnv) {}

  async check(url: string | undefined): Promise<void> {
    if (url === undefined) return;
    if (!this.env.WEBHOOK_SIGNING_SECRET)
      throw new ApiError(
        400,
        'webhooks_not_configured',
        'this deployment has no WEBHOOK_SIGNING_SECRET, so it sends no webhooks; leave webhook_url out',
      );
    const refusal = await refuseWebhookUrl(url, this.env.WEBHOOK_ALLOW_PRIVATE);
    if (refusal) throw new ApiError(400, 'webhook_url_refused', refusal);
  }
}
