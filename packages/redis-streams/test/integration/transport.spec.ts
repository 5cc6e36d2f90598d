import { createEnvelope } from '@livetranslate/contracts';
import type { RedisClient as Redis } from '../../src/connection.js';
import { Observable } from 'rxjs';
import { consumerAcksKey } from '../../src/idempotency-markers.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { chunkPayload } from '../support/chunk.js';
import { startConsumer, useBusFixture } from '../support/consumer-app.js';
import { pendingCount, readStream, waitFor } from '../support/redis.js';

describe('Redis Streams transport (real Redis, real Nest microservice)', () => {
  const bus = useBusFixture('transport');
  let redis: Redis;
  let ns: string;
  let stream: string;
  let publisher: StreamEventPublisher;
  const consumer = (...args: Parameters<typeof startConsumer>) => bus.consumer(...args);

  beforeEach(() => ({ redis, ns, stream, publisher } = bus));

  it('acks only after the handler resolves, and handles each entry once', async () => {
    const seen: number[] = [];
    const c = await consumer(
      async (p) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push(p.seq);
      },
      { streams: [stream], keyPrefix: ns },
    );
    for (let seq = 0; seq < 5; seq++)
      await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream });
    await waitFor(() => c.metrics.get('handled') === 5, { what: '5 handled' });
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
  });

  it('records per consumer when it started and when it last acked, which a hung handler stops advancing', async () => {
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const before = Date.now();
    const c = await consumer(async (p) => (p.seq === 1 ? hung : undefined), {
      streams: [stream],
      keyPrefix: ns,
    });
    const acks = consumerAcksKey(ns, stream, 'test-group');
    const started = Number(await redis.hget(acks, 'consumer-1'));
    expect(started).toBeGreaterThanOrEqual(before);
    await new Promise((r) => setTimeout(r, 20));
    await publisher.publish('AudioChunkReceived', chunkPayload(0), { stream });
    await waitFor(() => c.metrics.get('handled') === 1, { what: 'first handled' });
    const acked = Number(await redis.hget(acks, 'consumer-1'));
    expect(acked).toBeGreaterThan(started);
    // A handler that hangs keeps its entry pending (the heartbeat keeps it young) and the clock still.
    await publisher.publish('AudioChunkReceived', chunkPayload(1), { stream });
    await waitFor(async () => (await pendingCount(redis, stream, 'test-group')) === 1, { what: 'pending' });
    await new Promise((r) => setTimeout(r, 100));
    expect(Number(await redis.hget(acks, 'consumer-1'))).toBe(acked);
    release();
    await waitFor(() => c.metrics.get('handled') === 2, { what: 'second handled' });
    expect(Number(await redis.hget(acks, 'consumer-1'))).toBeGreaterThan(acked);
  });

  it('trims acked entries on its schedule, but never ones younger than trimMinAgeMs', async () => {
    const young = await consumer(async () => undefined, {
      streams: [stream],
      keyPrefix: ns,
      trimIntervalMs: 50,
      trimMinAgeMs: 60_000,
    });
    // Enough entries for whole radix-tree nodes: the periodic trim is approximate (MINID ~).
    const total = 300;
    await Promise.all(
      Array.from({ length: total }, (_, seq) =>
        publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream }),
      ),
    );
    await waitFor(() => young.metrics.get('handled') === total, { what: 'handled' });
    await new Promise((r) => setTimeout(r, 300)); // several trim rounds
    expect(await redis.xlen(stream)).toBe(total);
    await young.close();
    const old = await consumer(async () => undefined, {
      streams: [stream],
      keyPrefix: ns,
      trimIntervalMs: 50,
      trimMinAgeMs: 0,
    });
    await waitFor(async () => (await redis.xlen(stream)) < total, { what: 'trimmed' });
    await old.close();
  });

  it('retries a handler that fails twice, and its effect happens once', async () => {
    let attempts = 0;
    let effects = 0;
    const deliveries: number[] = [];
    const c = await consumer(
      async (_p, ctx) => {
        attempts++;
        deliveries.push(ctx.getDeliveries());
        if (attempts <= 2) throw new Error(`transient failure ${attempts}`);
        effects++;
      },
      { streams: [stream], keyPrefix: ns, maxDeliveries: 5 },
    );
    await publisher.publish('AudioChunkReceived', chunkPayload(), { stream });
    await waitFor(() => c.metrics.get('handled') === 1, { what: 'eventual success' });
    expect(effects).toBe(1);
    expect(deliveries).toEqual([1, 2, 3]);
    expect(c.metrics.get('failed')).toBe(2);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
    expect(await readStream(redis, `${stream}:dlq`)).toEqual([]);
  });

  it('dead-letters a handler that always fails after maxDeliveries, with its reason, and leaves nothing pending', async () => {
    let attempts = 0;
    const c = await consumer(
      async () => {
        attempts++;
        throw new Error('whisper exploded');
      },
      { streams: [stream], keyPrefix: ns, maxDeliveries: 3 },
    );
    const payload = chunkPayload();
    const entryId = await publisher.publish('AudioChunkReceived', payload, { stream });
    await waitFor(() => c.metrics.get('dead_lettered') === 1, { what: 'dead letter' });
    expect(attempts).toBe(3);
    const [dead] = await readStream(redis, `${stream}:dlq`);
    expect(dead!.fields).toMatchObject({
      original_stream: stream,
      original_id: entryId,
      group: 'test-group',
      deliveries: '3',
      reason: 'max_deliveries_exceeded',
      error: 'whisper exploded',
      event_type: 'AudioChunkReceived',
    });
    expect(JSON.parse(dead!.fields.data!).payload).toEqual(payload);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
  });

  it('dead-letters poison entries at once and keeps consuming', async () => {
    const handled: string[] = [];
    const c = await consumer(async (p) => void handled.push(p.chunk_id), {
      streams: [stream],
      keyPrefix: ns,
    });
    const valid = createEnvelope('AudioChunkReceived', chunkPayload(), { source: 'test' });
    const poison: Array<[string, string]> = [
      ['invalid_json', '{this is not json'],
      ['missing_field', JSON.stringify({ ...valid, event_id: undefined })],
      ['unsupported_schema_version', JSON.stringify({ ...valid, schema_version: 'v9' })],
      ['invalid_payload', JSON.stringify({ ...valid, payload: { ...valid.payload, seq: 'first' } })],
    ];
    for (const [, data] of poison) await redis.xadd(stream, '*', 'data', data);
    await redis.xadd(stream, '*', 'not_data', 'x');
    await publisher.publish('AudioChunkReceived', chunkPayload(7, 'after-poison'), { stream });

    await waitFor(() => handled.length === 1 && c.metrics.get('dead_lettered') === 5, {
      what: 'poison handled',
    });
    const dead = await readStream(redis, `${stream}:dlq`);
    expect(dead.map((d) => d.fields.reason)).toEqual([...poison.map(([reason]) => reason), 'missing_field']);
    expect(dead.every((d) => d.fields.deliveries === '1')).toBe(true);
    expect(dead[3]!.fields.error).toContain('seq:');
    expect(handled).toEqual(['after-poison:7']);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
  });

  it('handles an event published twice with the same event_id once', async () => {
    let effects = 0;
    const c = await consumer(async () => void effects++, { streams: [stream], keyPrefix: ns });
    const payload = chunkPayload();
    await publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'fixed-event-id' });
    await waitFor(() => c.metrics.get('handled') === 1);
    await publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'fixed-event-id' });
    await waitFor(() => c.metrics.get('duplicates') === 1, { what: 'duplicate acked' });
    expect(effects).toBe(1);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
  });

  it('without idempotency markers, runs a republished event again and writes no marker', async () => {
    let effects = 0;
    const c = await consumer(async () => void effects++, {
      streams: [stream],
      keyPrefix: ns,
      idempotencyMarkers: false,
    });
    const payload = chunkPayload();
    await publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'no-marker-event' });
    await publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'no-marker-event' });
    await waitFor(() => c.metrics.get('handled') === 2, { what: 'both handled' });
    expect(effects).toBe(2);
    expect(c.metrics.get('duplicates') ?? 0).toBe(0);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
    expect(await redis.keys(`${ns}:*done*`)).toEqual([]);
  });

  it('handles concurrent duplicates (same batch) once', async () => {
    let effects = 0;
    const c = await consumer(
      async () => {
        effects++;
        await new Promise((r) => setTimeout(r, 100));
      },
      { streams: [stream], keyPrefix: ns, reclaimIdleMs: 400 },
    );
    const payload = chunkPayload();
    await Promise.all([
      publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'same' }),
      publisher.publish('AudioChunkReceived', payload, { stream, eventId: 'same' }),
    ]);
    await waitFor(
      async () => c.metrics.get('handled') === 1 && (await pendingCount(redis, stream, 'test-group')) === 0,
      {
        what: 'both entries settled',
      },
    );
    expect(effects).toBe(1);
    await waitFor(() => c.metrics.get('duplicates') === 1, { what: 'duplicate counted' });
  });

  it('consumes entries published before the consumer group existed', async () => {
    for (let seq = 0; seq < 3; seq++)
      await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream });
    const seen: number[] = [];
    await consumer(async (p) => void seen.push(p.seq), { streams: [stream], keyPrefix: ns });
    await waitFor(() => seen.length === 3, { what: 'backlog consumed' });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('acks and skips event types it has no handler for', async () => {
    const c = await consumer(async () => undefined, { streams: [stream], keyPrefix: ns });
    await publisher.publish('BotStopRequested', { bot_id: 'b-1' }, { stream });
    await waitFor(() => c.metrics.get('skipped') === 1);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
    expect(await readStream(redis, `${stream}:dlq`)).toEqual([]);
  });

  it('processes every stream in a reply', async () => {
    const streams = [0, 1, 2].map((i) => `${stream}:{${i}}`);
    const seen = new Set<string>();
    const c = await consumer(async (p, ctx) => void seen.add(`${ctx.getStream()}#${p.seq}`), {
      streams,
      keyPrefix: ns,
    });
    // Queue entries in all three before the consumer reads, so one XREADGROUP returns all streams.
    for (const s of streams)
      for (let seq = 0; seq < 2; seq++)
        await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream: s });
    await waitFor(() => c.metrics.get('handled') === 6, { what: 'all six' });
    expect(seen.size).toBe(6);
  });

  it('awaits Observable results: acks on completion, retries on error', async () => {
    let calls = 0;
    const c = await consumer(
      () =>
        new Observable<number>((subscriber) => {
          calls++;
          const fail = calls === 1;
          const timer = setTimeout(() => {
            if (fail) subscriber.error(new Error('observable failed'));
            else {
              subscriber.next(1);
              subscriber.complete();
            }
          }, 30);
          return () => clearTimeout(timer);
        }),
      { streams: [stream], keyPrefix: ns },
    );
    await publisher.publish('AudioChunkReceived', chunkPayload(), { stream });
    await waitFor(() => c.metrics.get('handled') === 1);
    expect(c.metrics.get('failed')).toBe(1);
    expect(calls).toBe(2);
  });

  it('never runs more handlers at once than maxInFlight', async () => {
    let running = 0;
    let peak = 0;
    const c = await consumer(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 15));
        running--;
      },
      { streams: [stream], keyPrefix: ns, maxInFlight: 3, batchSize: 10 },
    );
    for (let seq = 0; seq < 20; seq++)
      await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream });
    await waitFor(() => c.metrics.get('handled') === 20, { what: '20 handled' });
    expect(peak).toBe(3);
  });

  it('drains in-flight handlers on close and acks them', async () => {
    const finished: number[] = [];
    let started = 0;
    const c = await consumer(
      async (p) => {
        started++;
        await new Promise((r) => setTimeout(r, 400));
        finished.push(p.seq);
      },
      { streams: [stream], keyPrefix: ns, reclaimIdleMs: 10_000 },
    );
    for (let seq = 0; seq < 4; seq++)
      await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream });
    await waitFor(() => started === 4, { what: 'all started' });
    await c.close();
    expect(finished.sort()).toEqual([0, 1, 2, 3]);
    // A deliberate close leaves no connection behind and none comes back.
    await new Promise((r) => setTimeout(r, 300));
    const clients = (await redis.call('CLIENT', 'LIST')) as string;
    expect(clients).not.toContain(`name=test-group:consumer-1:`);
    expect(c.metrics.get('handled')).toBe(4);
    expect(await pendingCount(redis, stream, 'test-group')).toBe(0);
    // Holding nothing, it left the group: replaced pods do not pile up as dead consumers.
    expect(await redis.call('XINFO', 'CONSUMERS', stream, 'test-group')).toEqual([]);
    // Entries published after close stay for the next consumer: nothing is read after a close.
    await publisher.publish('AudioChunkReceived', chunkPayload(9), { stream });
    await new Promise((r) => setTimeout(r, 300));
    const [info] = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[][];
    expect(info![info!.indexOf('lag') + 1]).toBe(1);
  });

  it('stays in the group when the grace period ends with an entry still held, so another can reclaim it', async () => {
    let started = 0;
    const c = await consumer(
      async () => {
        started++;
        await new Promise((r) => setTimeout(r, 1_500));
      },
      { streams: [stream], keyPrefix: ns, reclaimIdleMs: 10_000, shutdownGraceMs: 100 },
    );
    await publisher.publish('AudioChunkReceived', chunkPayload(), { stream });
    await waitFor(() => started === 1, { what: 'handler started' });
    await c.close();
    expect(await pendingCount(redis, stream, 'test-group')).toBe(1);
    const consumers = (await redis.call('XINFO', 'CONSUMERS', stream, 'test-group')) as unknown[][];
    expect(consumers).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_600)); // let the handler end before the stream is removed
  });

  it("keeps a slow but live handler's entry from being taken over by another consumer", async () => {
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 1_500)); // five times the reclaim threshold
    };
    const options = { streams: [stream], keyPrefix: ns, reclaimIdleMs: 300, reclaimIntervalMs: 50 };
    const a = await consumer(slow, { ...options, consumer: 'consumer-a' });
    const b = await consumer(slow, { ...options, consumer: 'consumer-b' });
    await publisher.publish('AudioChunkReceived', chunkPayload(), { stream });
    await waitFor(() => a.metrics.get('handled') + b.metrics.get('handled') === 1, {
      what: 'slow handler done',
    });
    expect(runs).toBe(1);
    expect(a.metrics.get('reclaimed') + b.metrics.get('reclaimed')).toBe(0);
  });

  it('refuses to boot when a required event has no handler', async () => {
    await expect(
      startConsumer(async () => undefined, {
        streams: [stream],
        keyPrefix: ns,
        requiredEvents: ['AudioChunkReceived', 'BotRequested'],
      }),
    ).rejects.toThrow('"BotRequested" has no handler');
  });
});
