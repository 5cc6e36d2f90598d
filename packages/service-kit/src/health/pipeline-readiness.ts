import type { DownstreamClients } from '../env/downstream-clients.js';
import type { ReadinessChecks } from './readiness.js';

/** What an app on the live path needs before it serves: Redis and both model services. */
export function registerPipelineReadiness(
  checks: ReadinessChecks,
  redis: { ping(): Promise<unknown> },
  models: DownstreamClients,
): void {
  checks.register('redis', async () => void (await redis.ping()));
  checks.register('whisper', async () => void (await models.speech.health()));
  checks.register('translation', async () => void (await models.translation.health()));
}
