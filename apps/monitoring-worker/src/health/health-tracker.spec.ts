import type { ServiceHealthState } from '@livetranslate/session-store';
import { nextHealth, type CheckOutcome, type HealthThresholds } from './health-tracker.js';

const t: HealthThresholds = {
  failuresToUnhealthy: 3,
  successesToRecovering: 2,
  successesToHealthy: 4,
  degradedLatencyMs: 5_000,
};
const ok: CheckOutcome = { ok: true, latencyMs: 12 };
const slow: CheckOutcome = { ok: true, latencyMs: 6_000 };
const fail: CheckOutcome = { ok: false, latencyMs: 3, error: 'ECONNREFUSED' };

/** The statuses a run of outcomes walks through. */
function walk(outcomes: CheckOutcome[], start?: ServiceHealthState): string[] {
  let state = start;
  return outcomes.map((outcome, i) => {
    state = nextHealth(state, 'whisper', outcome, t, new Date(1_000 * i));
    return state.status;
  });
}

describe('nextHealth (hysteresis)', () => {
  it('turns unhealthy on the third failure in a row, not before', () => {
    expect(walk([ok, fail, fail, fail])).toEqual(['healthy', 'healthy', 'healthy', 'unhealthy']);
  });

  it('a success between failures starts the count again', () => {
    expect(walk([ok, fail, fail, ok, fail, fail])).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
    ]);
  });

  it('while unhealthy: two successes make it recovering, four healthy', () => {
    expect(walk([fail, fail, fail, ok, ok, ok, ok])).toEqual([
      'healthy',
      'healthy',
      'unhealthy',
      'unhealthy',
      'recovering',
      'recovering',
      'healthy',
    ]);
  });

  it('a failure while recovering goes back to unhealthy, and the count starts over', () => {
    expect(walk([fail, fail, fail, ok, ok, fail, ok, ok, ok, ok])).toEqual([
      'healthy',
      'healthy',
      'unhealthy',
      'unhealthy',
      'recovering',
      'unhealthy',
      'unhealthy',
      'recovering',
      'recovering',
      'healthy',
    ]);
  });

  it('a healthy service answering slower than the threshold is degraded, and healthy again when fast', () => {
    expect(walk([ok, slow, slow, ok])).toEqual(['healthy', 'degraded', 'degraded', 'healthy']);
  });

  it('keeps when the status changed, the one before, the streak and the last error', () => {
    let state = nextHealth(undefined, 'whisper', ok, t, new Date(0));
    for (let i = 1; i <= 3; i++) state = nextHealth(state, 'whisper', fail, t, new Date(i * 1_000));
    expect(state).toMatchObject({
      status: 'unhealthy',
      previous_status: 'healthy',
      streak: 3,
      last_outcome: 'failure',
      error: 'ECONNREFUSED',
      since: new Date(3_000).toISOString(),
    });
    state = nextHealth(state, 'whisper', ok, t, new Date(4_000));
    expect(state).toMatchObject({
      status: 'unhealthy',
      streak: 1,
      error: null,
      since: new Date(3_000).toISOString(),
    });
  });
});
