import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QUEUE_NAMES } from '@livetranslate/contracts';
import { JobQueues, WebhookSender, type WebhookJob } from '@livetranslate/service-kit';
import { WebhookLog } from '@livetranslate/session-store';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';

/** Webhook deliveries at once per replica: receivers are slow, the work is waiting on them. */
const CONCURRENCY = 16;

/** Works the webhooks queue: every session's events for its webhook_url, signed, retried with backoff. */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap {
  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    private readonly jobs: JobQueues,
    @Inject(WebhookLog) private readonly log: WebhookLog,
  ) {}

  onApplicationBootstrap(): void {
    const sender = new WebhookSender(this.log, {
      secret: this.env.WEBHOOK_SIGNING_SECRET,
      allowPrivate: this.env.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: this.env.WEBHOOK_TIMEOUT_MS,
    });
    this.jobs.worker<WebhookJob>(QUEUE_NAMES.webhooks, (job) => sender.deliver(job), {
      concurrency: CONCURRENCY,
    });
  }
}
