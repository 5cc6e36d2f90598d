import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks } from './readiness.js';

const PROBE_TIMEOUT_MS = 2_000;

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly checks: ReadinessChecks,
  ) {}

  /** Alive: the process answers. Never checks dependencies, so a Redis blip does not restart pods. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /** Ready: every registered dependency answers (503 with the failing ones otherwise). */
  @Get('readyz')
  @HealthCheck()
  readyz() {
    return this.health.check(
      this.checks.entries().map(
        ([name, probe]) =>
          () =>
            this.indicators
              .check(name)
              .attempt(({ signal }) => probe(signal))
              .withTimeout(PROBE_TIMEOUT_MS),
      ),
    );
  }
}
