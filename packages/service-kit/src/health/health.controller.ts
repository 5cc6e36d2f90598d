import { Controller, Get, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.js';
import { toErrorResponse } from '../http/error-envelope.filter.js';
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

  /**
   * Ready: every registered dependency answers. Otherwise 503 in the platform's error shape, naming
   * each failing check and why (answered here, not thrown: a probe's 503 is not a server error to log).
   */
  @Get('readyz')
  async readyz(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.check();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.entries(result.error ?? {}).map(
        ([name, state]) => `${name}${typeof state?.message === 'string' ? ` (${state.message})` : ''}`,
      );
      const { status, body } = toErrorResponse(
        new ApiError(503, 'not_ready', `not ready: ${failing.join('; ')}`, result),
        String(request.id),
      );
      void reply.status(status);
      return body;
    }
  }

  private check() {
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
