import { Global, Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Headers a test sends to a mock to shape one request. */
export const FAULT_HEADERS = {
  /** Extra delay for this request, in ms. */
  latency: 'x-mock-latency-ms',
  /** Answer with this HTTP status instead of handling the request. */
  fail: 'x-mock-fail',
  /** With x-mock-fail: fail only the first N requests carrying the same x-mock-key. */
  failTimes: 'x-mock-fail-times',
  /** Groups requests for x-mock-fail-times and for the request counter. */
  key: 'x-mock-key',
} as const;

export interface FaultInjectionOptions {
  /** Delay added to every request (MOCK_LATENCY_MS). */
  latencyMs: number;
  /** Share of requests answered 503 at random (MOCK_FAILURE_RATE, 0–1). */
  failureRate: number;
  /**
   * Every Nth request to each path answered 503 (MOCK_FAILURE_EVERY; 0 = off): a failure pattern
   * that is the same on every run, for tests that must see failures happen.
   */
  failEvery?: number;
  /** Share of requests delayed by `spikeMs` more (MOCK_LATENCY_SPIKE_RATE / _MS). */
  spikeRate?: number;
  spikeMs?: number;
  /** Seeds the random draws (MOCK_FAULT_SEED; 0 or absent: unseeded). */
  seed?: number;
  /** Paths never delayed or failed (health, metrics, the counter itself). */
  exemptPaths?: string[];
}

const FAULT_OPTIONS = Symbol('FAULT_OPTIONS');
const DEFAULT_EXEMPT = ['/healthz', '/readyz', '/metrics', '/mock/requests'];

/**
 * Latency and failure injection for the model mocks, applied before routing so it hits every
 * contract route alike. Failed requests answer with the platform's JSON error body.
 */
@Injectable()
export class FaultInjector implements OnModuleInit {
  private readonly countsByKey = new Map<string, number>();
  private readonly countsByPath = new Map<string, number>();
  private readonly random: () => number;

  constructor(
    @Inject(FAULT_OPTIONS) private readonly options: FaultInjectionOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const rng = options.seed ? xoroshiro128plus(options.seed) : undefined;
    this.random = rng ? () => uniformFloat64(rng) : Math.random;
  }

  requestsFor(key: string): number {
    return this.countsByKey.get(key) ?? 0;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const exempt = this.options.exemptPaths ?? DEFAULT_EXEMPT;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0] ?? '';
      if (exempt.some((p) => path === p || path.startsWith(`${p}/`))) return;
      const key = header(request, FAULT_HEADERS.key);
      const seen = key ? (this.countsByKey.get(key) ?? 0) + 1 : 0;
      if (key) this.countsByKey.set(key, seen);

      const spike = this.random() < (this.options.spikeRate ?? 0) ? (this.options.spikeMs ?? 0) : 0;
      const delay = this.options.latencyMs + spike + (Number(header(request, FAULT_HEADERS.latency)) || 0);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

      const forced = Number(header(request, FAULT_HEADERS.fail));
      const times = Number(header(request, FAULT_HEADERS.failTimes));
      const forcedApplies =
        forced >= 400 && forced <= 599 && (!times || (key !== undefined && seen <= times));
      const every = this.options.failEvery ?? 0;
      const nth = (this.countsByPath.get(path) ?? 0) + 1;
      this.countsByPath.set(path, nth);
      const patterned = every > 0 && nth % every === 0;
      const status = forcedApplies ? forced : patterned || this.random() < this.options.failureRate ? 503 : 0;
      if (status) {
        await reply.status(status).send({
          error: { code: 'injected_failure', message: `injected failure (HTTP ${status})` },
          request_id: String(request.id),
        });
      }
    });
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

@Global()
@Module({})
export class FaultInjectionModule {
  static forRoot(options: FaultInjectionOptions): DynamicModule {
    return {
      module: FaultInjectionModule,
      providers: [{ provide: FAULT_OPTIONS, useValue: options }, FaultInjector],
      exports: [FaultInjector],
    };
  }
}
