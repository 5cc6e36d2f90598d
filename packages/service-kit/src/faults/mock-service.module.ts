import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { MetricsModule } from '../metrics/metrics.js';
import { FaultInjectionModule } from './fault-injection.js';
import type { MockEnv } from './mock-env.js';
import { MockRequestsController } from './mock-requests.controller.js';

/**
 * What both model mocks share: /healthz, /readyz, /metrics, latency and failure injection from
 * the MOCK_* variables, and the request log tests read. Each mock adds its contract.
 */
@Module({})
export class MockServiceModule {
  static forRoot(env: MockEnv): DynamicModule {
    const faults = FaultInjectionModule.forRoot({
      latencyMs: env.MOCK_LATENCY_MS,
      failureRate: env.MOCK_FAILURE_RATE,
      failEvery: env.MOCK_FAILURE_EVERY,
      spikeRate: env.MOCK_LATENCY_SPIKE_RATE,
      spikeMs: env.MOCK_LATENCY_SPIKE_MS,
      seed: env.MOCK_FAULT_SEED,
    });
    return {
      module: MockServiceModule,
      imports: [HealthModule, MetricsModule, faults],
      controllers: [MockRequestsController],
      exports: [faults],
    };
  }
}
