import type { OnModuleInit } from '@nestjs/common';
import type { DownstreamClients } from '../env/downstream-clients.js';
import type { ReadinessChecks } from './readiness.js';

/** /readyz of an app on the live path: Redis and both model services answer. Provide it with a factory. */
export class PipelineReadiness implements OnModuleInit {
  constructor(
    private readonly checks: ReadinessChecks,
    private readonly redis: { ping(): Promise<unknown> },
    private readonly models: DownstreamClients,
  ) {}

  onModuleInit(): void {
    this.checks.register('redis', async () => void (await this.redis.ping()));
    this.checks.register('whisper', async () => void (await this.models.speech.health()));
    this.checks.register('translation', async () => void (await this.models.translation.health()));
  }
}
