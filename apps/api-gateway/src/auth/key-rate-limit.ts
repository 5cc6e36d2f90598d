import { Inject, Injectable } from '@nestjs/common';
import { ManagedRedis } from '@livetranslate/redis-streams';
import { ApiError } from '@livetranslate/service-kit';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import type { Caller } from './api-keys.js';

/** Thrown past a key's request rate; `retryAfterSeconds` goes out as Retry-After. */
export class RateLimitedError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
  ) {
    super(
      429,
      'rate_limited',
      `more than ${limit} requests per minute for this API key; retry in ${retryAfterSeconds} s`,
    );
  }
}

/**
 * Requests per API key per minute, counted in Redis so every gateway replica shares the budget.
 * Keys are counted by digest, never stored as given.
 */
@Injectable()
export class KeyRateLimit {
  private readonly limiter: RateLimiterRedis;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    connection: ManagedRedis,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: connection.redis,
      keyPrefix: `${env.REDIS_KEY_PREFIX}:key-rate`,
      points: env.API_RATE_LIMIT_PER_MINUTE,
      duration: 60,
    });
  }

  async consume(caller: Caller): Promise<void> {
    try {
      await this.limiter.consume(caller.keyId);
    } catch (error) {
      if (error instanceof RateLimiterRes)
        throw new RateLimitedError(
          Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
          this.env.API_RATE_LIMIT_PER_MINUTE,
        );
      throw error;
    }
  }
}
