/**
 * The bus bench's accounting: where the transport's CPU per event goes beyond the raw loop's, for
 * the parts that no scenario separates, each measured alone against the same work done bare (so a
 * figure is the part's own cost). See bus.bench.ts.
 */
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createEnvelope,
  parseEnvelope,
  validatePayload,
  type AudioChunkReceived,
  type RawEnvelope,
} from '@livetranslate/contracts';
import {
  OnEvent,
  RedisStreamsContext,
  RedisStreamsServer,
  StreamErrorFilter,
  StreamEventPublisher,
  type RedisClient,
} from '../src/index.js';
import { median } from '../src/testing/index.js';

export interface PartCostsSetup {
  redisUrl: string;
  /** Key prefix of this run. */
  ns: string;
  batch: number;
  payload: (seq: number) => AudioChunkReceived;
  metadata: Record<string, unknown>;
  redis: () => RedisClient;
}

/** µs per call of `fn` (awaited when it returns a promise), after as many calls unmeasured. */
async function microsPerCall(fn: (i: number) => unknown, n = 20_000): Promise<number> {
  for (let i = 0; i < n; i++) await fn(i);
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - started) / n) * 1000;
}

/**
 * Where the transport's time goes beyond the raw loop's, the parts no scenario separates: each
 * measured alone, against the same work done bare (so a figure is the part's own cost).
 */
export async function partCosts({ redisUrl, ns, batch, payload, metadata, redis }: PartCostsSetup) {
  const envelopes = Array.from({ length: 1_000 }, (_, i) =>
    JSON.stringify(createEnvelope('AudioChunkReceived', payload(i), { source: 'bench', metadata })),
  );
  // The consumer's envelope check (shape, version, event type) against the raw loop's bare parse.
  const parseBare = await microsPerCall((i) => JSON.parse(envelopes[i % 1_000]!));
  const parseChecked = await microsPerCall((i) => parseEnvelope(envelopes[i % 1_000]));
  // Nest's per-message dispatch (its context, pipes, interceptors, exception zone) as the transport
  // calls it, against calling the same async method directly.
  let calls = 0;
  @Controller()
  class CountingHandler {
    @OnEvent('AudioChunkReceived')
    async handle() {
      calls++;
    }
  }
  @Module({ controllers: [CountingHandler] })
  class CountingModule {}
  const server = new RedisStreamsServer({
    connection: redisUrl,
    streams: [`${ns}:parts`],
    group: 'bench',
    consumer: 'bench-1',
  });
  const app = await NestFactory.createMicroservice(CountingModule, { logger: ['error'], strategy: server });
  app.useGlobalFilters(new StreamErrorFilter());
  await app.init();
  const nestHandler = server.getHandlerByPattern('AudioChunkReceived')!;
  const direct = new CountingHandler();
  const event = {
    stream: `${ns}:parts`,
    entryId: '1-0',
    group: 'bench',
    consumer: 'bench-1',
    deliveries: 1,
    envelope: JSON.parse(envelopes[0]!) as RawEnvelope,
    payload: payload(0),
  };
  // The publishing half: the transport's publisher (payload check, envelope with the trace context,
  // auto-pipelined XADD) against the raw loop's XADD of the same envelope, CPU per event.
  const publisher = new StreamEventPublisher({ connection: redisUrl, source: 'bench' });
  const producer = redis();
  const publishCpu = async (publish: (i: number) => Promise<unknown>) => {
    const cpuFor = async (n: number) => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i += batch)
        await Promise.all(Array.from({ length: batch }, (_, j) => publish(i + j)));
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / n;
    };
    await cpuFor(2_000);
    return cpuFor(10_000);
  };
  const stream = `${ns}:publish-side`;
  const publishRaw = (i: number) =>
    producer.xadd(
      stream,
      '*',
      'data',
      JSON.stringify(createEnvelope('AudioChunkReceived', payload(i), { source: 'bench', metadata })),
    );
  const publishTransport = (i: number) =>
    publisher.publish('AudioChunkReceived', payload(i), { stream, metadata });
  // Alternated, medians: one pass each moves by a fifth between runs on a shared machine.
  const raw: number[] = [];
  const transported: number[] = [];
  for (let round = 0; round < 5; round++) {
    raw.push(await publishCpu(publishRaw));
    transported.push(await publishCpu(publishTransport));
    await producer.del(stream);
  }
  await publisher.close();
  producer.disconnect();
  const bareCall = await microsPerCall(() => direct.handle());
  const nestCall = await microsPerCall(() => nestHandler(event.payload, new RedisStreamsContext(event)));
  await app.close();
  if (calls === 0) throw new Error('the handler was never called');
  return {
    payload_check: await microsPerCall((i) => validatePayload('AudioChunkReceived', payload(i))),
    envelope_check: Math.max(0, parseChecked - parseBare),
    nest_dispatch: Math.max(0, nestCall - bareCall),
    publish_side: median(transported) - median(raw),
  };
}
