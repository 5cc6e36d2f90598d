import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { CommonEnv } from '../env/common-env.js';
import { EnvNumber } from '../env/env-decorators.js';

/** Variables both model mocks read. */
export abstract class MockEnv extends CommonEnv {
  /** Delay added to every contract request. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  @Max(600_000)
  MOCK_LATENCY_MS = 0;

  /** Share of contract requests answered 503 at random. */
  @EnvNumber()
  @IsNumber()
  @Min(0)
  @Max(1)
  MOCK_FAILURE_RATE = 0;

  /** Every Nth request to each contract path answered 503 (0: off); deterministic, unlike the rate. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  MOCK_FAILURE_EVERY = 0;

  /** Share of contract requests delayed by MOCK_LATENCY_SPIKE_MS more (a slow moment of the model). */
  @EnvNumber()
  @IsNumber()
  @Min(0)
  @Max(1)
  MOCK_LATENCY_SPIKE_RATE = 0;

  @EnvNumber()
  @IsInt()
  @Min(0)
  @Max(600_000)
  MOCK_LATENCY_SPIKE_MS = 0;

  /** Seeds the random failures and spikes (0: unseeded), so a test run sees the same faults every time. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  MOCK_FAULT_SEED = 0;
}
