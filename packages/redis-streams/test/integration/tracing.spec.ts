import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { RedisClient as Redis } from '../../src/connection.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { chunkPayload } from '../support/chunk.js';
import { startConsumer, type TestConsumer } from '../support/consumer-app.js';
import { deleteByPrefix, testNamespace, testRedis, TEST_REDIS, waitFor } from '../support/redis.js';

describe('trace context across the bus', () => {
  const exporter = new InMemorySpanExporter();
  let redis: Redis;
  let ns: string;
  let consumer: TestConsumer | undefined;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => {
    redis = testRedis();
    ns = testNamespace('tracing');
  });
  afterEach(async () => {
    await consumer?.close();
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  it('carries traceparent from the publisher into the handler, whose span is a child of it', async () => {
    const stream = `${ns}:ingest`;
    const seen: string[] = [];
    consumer = await startConsumer(
      async () => void seen.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none'),
      {
        streams: [stream],
        keyPrefix: ns,
      },
    );
    const publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'test' });
    const producer = trace.getTracer('test').startSpan('produce');
    await context.with(trace.setSpan(context.active(), producer), () =>
      publisher.publish('AudioChunkReceived', chunkPayload(), { stream }),
    );
    producer.end();
    await publisher.close();

    const [[, fields]] = (await redis.xrange(stream, '-', '+')) as [[string, string[]]];
    const envelope = JSON.parse(fields[1]!) as { traceparent?: string; trace_id?: string };
    const traceId = producer.spanContext().traceId;
    expect(envelope.traceparent).toMatch(
      new RegExp(`^00-${traceId}-${producer.spanContext().spanId}-0[01]$`),
    );
    expect(envelope.trace_id).toBe(traceId);

    await waitFor(() => seen.length === 1, { what: 'handled' });
    expect(seen).toEqual([traceId]);
    const processed = exporter.getFinishedSpans().find((s) => s.name === 'AudioChunkReceived process');
    expect(
      processed?.parentSpanContext?.spanId ??
        (processed as unknown as { parentSpanId?: string })?.parentSpanId,
    ).toBe(producer.spanContext().spanId);
    expect(processed?.attributes['messaging.destination.name']).toBe(stream);
  });

  it('records a poison entry as a failed span', async () => {
    const stream = `${ns}:poison`;
    consumer = await startConsumer(async () => undefined, { streams: [stream], keyPrefix: ns });
    await redis.xadd(stream, '*', 'data', '{not json');
    await waitFor(() => exporter.getFinishedSpans().some((s) => s.name === 'poison entry dead-lettered'), {
      what: 'poison span',
    });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'poison entry dead-lettered')!;
    expect(span.status.code).toBe(2); // ERROR
    expect(span.attributes['messaging.destination.name']).toBe(stream);
    expect(span.attributes['livetranslate.dead_letter.reason']).toBe('invalid_json');
  });
});
