import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import type { AudioChunkReceived, EventType } from '@livetranslate/contracts';
import type { Observable } from 'rxjs';
import { OnEvent } from '../../src/on-event.decorator.js';
import type { RedisStreamsContext } from '../../src/redis-streams.context.js';
import { RedisStreamsServer, type RedisStreamsServerOptions } from '../../src/redis-streams.server.js';
import { InMemoryTransportMetrics } from '../../src/transport-metrics.js';
import { StreamErrorFilter } from '../../src/stream-error.filter.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { deleteByPrefix, testNamespace, testRedis, TEST_REDIS } from './redis.js';

export type ChunkBehavior = (
  payload: AudioChunkReceived,
  ctx: RedisStreamsContext,
) => Promise<unknown> | Observable<unknown> | unknown;

const BEHAVIOR = Symbol('BEHAVIOR');

@Controller()
class ChunkHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: ChunkBehavior) {}

  @OnEvent('AudioChunkReceived')
  handle(@Payload() payload: AudioChunkReceived, @Ctx() ctx: RedisStreamsContext) {
    return this.behavior(payload, ctx);
  }
}

export interface TestConsumer {
  app: INestMicroservice;
  server: RedisStreamsServer;
  metrics: InMemoryTransportMetrics;
  close(): Promise<void>;
}

/** A real Nest microservice with the transport and one AudioChunkReceived handler. */
export async function startConsumer(
  behavior: ChunkBehavior,
  options: Partial<RedisStreamsServerOptions> & { streams: string[]; keyPrefix: string },
): Promise<TestConsumer> {
  @Module({ controllers: [ChunkHandler], providers: [{ provide: BEHAVIOR, useValue: behavior }] })
  class TestModule {}

  const metrics = new InMemoryTransportMetrics();
  const server = new RedisStreamsServer({
    connection: TEST_REDIS,
    group: 'test-group',
    consumer: 'consumer-1',
    reclaimIdleMs: 300,
    reclaimIntervalMs: 100,
    blockMs: 200,
    maxDeliveries: 3,
    shutdownGraceMs: 5_000,
    trimIntervalMs: 0,
    metrics,
    ...options,
  });
  const app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
  app.useGlobalFilters(new StreamErrorFilter());
  await app.listen();
  let closed = false;
  return {
    app,
    server,
    metrics,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export type { EventType };

/** What a transport test works with: its own namespace, stream, publisher and consumers. */
export interface BusFixture {
  redis: import('../../src/connection.js').RedisClient;
  ns: string;
  stream: string;
  publisher: StreamEventPublisher;
  /** Starts a consumer that is closed after the test. */
  consumer(behavior: ChunkBehavior, options: Parameters<typeof startConsumer>[1]): Promise<TestConsumer>;
}

/**
 * Registers before/after hooks that give each test a fresh namespace and clean it up (by prefix,
 * never by flushing the shared server). Read the fields inside tests, not at describe time.
 */
export function useBusFixture(label: string): BusFixture {
  const consumers: TestConsumer[] = [];
  const fixture = {} as BusFixture;
  beforeEach(() => {
    fixture.redis = testRedis();
    fixture.ns = testNamespace(label);
    fixture.stream = `${fixture.ns}:ingest`;
    fixture.publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'test' });
    fixture.consumer = async (behavior, options) => {
      const started = await startConsumer(behavior, options);
      consumers.push(started);
      return started;
    };
  });
  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.close();
    await fixture.publisher.close();
    await deleteByPrefix(fixture.redis, fixture.ns);
    await fixture.redis.quit();
  });
  return fixture;
}
