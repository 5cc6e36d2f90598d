import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { MonitoringEnv } from './env.js';

describe('MonitoringEnv', () => {
  it('boots on defaults alone, with the hysteresis the original system used', () => {
    const env = loadEnv(MonitoringEnv, {});
    expect(env).toMatchObject({
      PORT: 3040,
      MONITOR_FAILURES_TO_UNHEALTHY: 3,
      MONITOR_SUCCESSES_TO_RECOVERING: 2,
      MONITOR_SUCCESSES_TO_HEALTHY: 4,
      MONITOR_DEGRADED_LATENCY_MS: 5_000,
    });
  });

  it('names the bad variable', () => {
    expect(() => loadEnv(MonitoringEnv, { MONITOR_REDIS_MEMORY_RATIO: '2' })).toThrow(
      /MONITOR_REDIS_MEMORY_RATIO/,
    );
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(MonitoringEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
