import type { RedisClient as Redis } from '../../src/connection.js';
import { consumerAcksKey, IdempotencyMarkers } from '../../src/idempotency-markers.js';
import { deleteByPrefix, pendingCount, testNamespace, testRedis } from '../support/redis.js';

describe('IdempotencyMarkers scripts (real Redis)', () => {
  let redis: Redis;
  let ns: string;
  let stream: string;
  const markers = (consumer = 'c1') => new IdempotencyMarkers(redis, ns, 'g', consumer, 60);

  /** Adds `n` entries to `on` and reads them into the group, so they are pending as a handler's are. */
  async function pendingEntries(n: number, on = stream): Promise<string[]> {
    for (let i = 0; i < n; i++) await redis.xadd(on, '*', 'data', '{}');
    const reply = (await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', on, '>')) as Array<
      [string, Array<[string, string[]]>]
    >;
    return reply[0]![1].map(([id]) => id);
  }

  beforeEach(async () => {
    redis = testRedis();
    ns = testNamespace('markers');
    stream = `${ns}:s`;
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
  });
  afterEach(async () => {
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  it('lets one entry claim an event; the holder may claim again, a duplicate waits while it is pending', async () => {
    const [first, duplicate] = await pendingEntries(2);
    expect(await markers('c1').begin(stream, 'e1', first!)).toBe('acquired');
    expect(await markers('c2').begin(stream, 'e1', first!)).toBe('acquired'); // reclaimed elsewhere
    expect(await markers('c2').begin(stream, 'e1', duplicate!)).toBe('busy');
    expect(await redis.get(markers().markerKey(stream, 'e1'))).toBe(first);
    expect(await redis.ttl(markers().markerKey(stream, 'e1'))).toBeGreaterThan(50);
  });

  it('acks with the ack time recorded, and the acked holder makes its duplicates done without a rewrite', async () => {
    const m = markers('c1');
    const [first, duplicate] = await pendingEntries(2);
    const before = Date.now();
    expect(await m.begin(stream, 'e1', first!)).toBe('acquired');
    await m.completeAndAck(stream, first!);
    expect(await pendingCount(redis, stream, 'g')).toBe(1);
    expect(Number(await redis.hget(consumerAcksKey(ns, stream, 'g'), 'c1'))).toBeGreaterThanOrEqual(before);
    expect(await markers('c2').begin(stream, 'e1', duplicate!)).toBe('done');
    expect(await redis.get(m.markerKey(stream, 'e1'))).toBe(first);
  });

  it('releases a claim only for its holder; the next entry then claims it', async () => {
    const [first, second] = await pendingEntries(2);
    const m = markers();
    await m.begin(stream, 'e1', first!);
    await m.release(stream, 'e1', second!); // not the holder: nothing happens
    expect(await redis.get(m.markerKey(stream, 'e1'))).toBe(first);
    await m.release(stream, 'e1', first!);
    expect(await redis.exists(m.markerKey(stream, 'e1'))).toBe(0);
    expect(await m.begin(stream, 'e1', second!)).toBe('acquired');
  });

  it("honours the earlier format's markers during a rolling upgrade: 'done' is done, a lease is busy", async () => {
    const [entry] = await pendingEntries(1);
    const m = markers();
    await redis.set(m.markerKey(stream, 'old-done'), 'done', 'EX', 60);
    await redis.set(m.markerKey(stream, 'old-lease'), `c0:${stream}:1-0`, 'PX', 60_000);
    expect(await m.begin(stream, 'old-done', entry!)).toBe('done');
    expect(await m.begin(stream, 'old-lease', entry!)).toBe('busy');
  });

  it('keeps the markers of two streams sharing a hash tag apart', async () => {
    const a = `${ns}:a:{p}`;
    const b = `${ns}:b:{p}`;
    for (const s of [a, b]) await redis.xgroup('CREATE', s, 'g', '0', 'MKSTREAM');
    const m = markers();
    expect(m.markerKey(a, 'e1')).not.toBe(m.markerKey(b, 'e1'));
    const [onA] = await pendingEntries(1, a);
    const [onB] = await pendingEntries(1, b);
    expect(await m.begin(a, 'e1', onA!)).toBe('acquired');
    expect(await m.begin(b, 'e1', onB!)).toBe('acquired');
  });

  it('keeps the last error of an entry for the dead-letter reason', async () => {
    const m = markers();
    await m.recordError(stream, '1-0', 'whisper exploded');
    expect(await m.lastError(stream, '1-0')).toBe('whisper exploded');
    expect(await m.lastError(stream, '2-0')).toBeNull();
  });
});
