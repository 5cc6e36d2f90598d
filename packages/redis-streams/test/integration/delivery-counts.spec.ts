import type { RedisClient as Redis } from '../../src/connection.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { chunkPayload } from '../support/chunk.js';
import { useBusFixture } from '../support/consumer-app.js';
import { pendingCount, readStream, waitFor } from '../support/redis.js';

const GROUP = 'test-group';

describe('delivery counts and the dead-letter cap', () => {
  const bus = useBusFixture('deliveries');
  let redis: Redis;
  let ns: string;
  let stream: string;
  let publisher: StreamEventPublisher;

  beforeEach(() => ({ redis, ns, stream, publisher } = bus));

  /** Publishes chunks with seq 1..n and leaves them all pending on a consumer that then "dies". */
  async function pendingOnDeadConsumer(n: number): Promise<string[]> {
    await redis.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let seq = 1; seq <= n; seq++) {
      ids.push(await publisher.publish('AudioChunkReceived', chunkPayload(seq), { stream }));
    }
    await redis.xreadgroup('GROUP', GROUP, 'dead', 'COUNT', n, 'STREAMS', stream, '>');
    return ids;
  }

  it('counts deliveries of claimed entries right while the consumer holds others between them', async () => {
    const ids = await pendingOnDeadConsumer(6);
    // Entries 1 and 5 are done; 3 moves to the live consumer before it starts, so it is busy with 3
    // (its own pending entry) when it takes over 2, 4 and 6 from the dead one.
    await redis.xack(stream, GROUP, ids[0]!, ids[4]!);
    await new Promise((r) => setTimeout(r, 350));
    await redis.call('XCLAIM', stream, GROUP, 'live', 0, ids[2]!);

    const deliveries = new Map<number, number>();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await bus.consumer(
      async (payload, ctx) => {
        deliveries.set(payload.seq, ctx.getDeliveries());
        if (payload.seq === 3) await held;
      },
      { streams: [stream], keyPrefix: ns, consumer: 'live', maxDeliveries: 10 },
    );
    await waitFor(() => deliveries.size === 4, { what: 'entries 2, 3, 4 and 6 delivered' });
    release();
    await waitFor(async () => (await pendingCount(redis, stream, GROUP)) === 0, { what: 'all acked' });
    // Each was read once by the dead consumer and claimed once by the live one; 3 was also moved
    // by hand, then recovered at start.
    expect(Object.fromEntries(deliveries)).toEqual({ 2: 2, 3: 3, 4: 2, 6: 2 });
  });

  it('dead-letters an entry whose consumers kept dying once it passes maxDeliveries, without running it', async () => {
    const [id] = await pendingOnDeadConsumer(1);
    // Four more deliveries that never finished: its consumers died each time.
    await redis.call('XCLAIM', stream, GROUP, 'dead', 0, id!, 'RETRYCOUNT', 5);
    let ran = 0;
    const c = await bus.consumer(
      async () => {
        ran++;
      },
      { streams: [stream], keyPrefix: ns, maxDeliveries: 5 },
    );
    await waitFor(() => c.metrics.get('dead_lettered') === 1, { what: 'dead-lettered' });
    expect(ran).toBe(0);
    expect(await pendingCount(redis, stream, GROUP)).toBe(0);
    const [letter] = await readStream(redis, `${stream}:dlq`);
    expect(letter?.fields).toMatchObject({
      original_id: id,
      reason: 'max_deliveries_exceeded',
      deliveries: '6',
      error: 'no error recorded (consumer died?)',
    });
  });

  it('reads each stream of a group with its own XREADGROUP and keeps every stream flowing', async () => {
    const streams = [`${ns}:{p0}`, `${ns}:{p1}`, `${ns}:{p2}`];
    const seen: string[] = [];
    const c = await bus.consumer(
      async (payload) => {
        seen.push(payload.session_id);
      },
      { streams, keyPrefix: ns, maxInFlight: 6, batchSize: 4 },
    );
    for (let i = 0; i < 30; i++) {
      await publisher.publish('AudioChunkReceived', chunkPayload(i, `s-${i % 3}`), {
        stream: streams[i % 3]!,
      });
    }
    await waitFor(() => c.metrics.get('handled') === 30, { what: '30 handled' });
    expect(seen.filter((s) => s === 's-0')).toHaveLength(10);
    expect(seen.filter((s) => s === 's-2')).toHaveLength(10);
  });
});
