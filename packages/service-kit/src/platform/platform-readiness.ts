import type { OnModuleInit } from '@nestjs/common';
import type { DownstreamClients } from '../env/downstream-clients.js';
import type { ReadinessChecks } from '../health/readiness.js';

/** /readyz of a platform app: Redis answers, and so do the model services when the app calls them. */
export class PlatformReadiness implements OnModuleInit {
  constructor(
    private readonly checks: ReadinessChecks,
    private readonly redis: { ping(): Promise<unknown> },
    private readonly models?: DownstreamClients,
  ) {}

  onModuleInit(): void {
    this.checks.register('redis', async () => void (await this.redis.ping()));
    const models = this.models;
    if (!models) return;
    this.checks.register('whisper', async () => void (await models.speech.health()));
    this.checks.register('translation', async () => void (await models.translation.health()));
  }
}
