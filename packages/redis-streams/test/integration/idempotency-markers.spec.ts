import type { RedisClient as Redis } from '../../src/connection.js';
import { consumerAcksKey, IdempotencyMarkers } from '../../src/idempotency-markers.js';
import { deleteByPrefix, pendingCount, testNamespace, testRedis } from '../support/redis.js';

describe('IdempotencyMarkers scripts (real Redis)', () => {
  let redis: Redis;
  let ns: string;
  let stream: string;
  const markers = (consumer = 'c1', leaseMs = 5_000) =>
    new IdempotencyMarkers(redis, ns, 'g', consumer, leaseMs, 60);

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

  it('gives a lease to one token at a time; the holder may take it again', async () => {
    const a = markers('c1');
    const b = markers('c2');
    expect(await a.begin(stream, 'e1', 'token-a')).toBe('acquired');
    expect(await a.begin(stream, 'e1', 'token-a')).toBe('acquired');
    expect(await b.begin(stream, 'e1', 'token-b')).toBe('busy');
    expect(await redis.pttl(a.markerKey(stream, 'e1'))).toBeGreaterThan(0);
  });

  it('marks done and acks atomically, records the ack time, and a later begin says done', async () => {
    const m = markers('c1');
    await redis.xadd(stream, '*', 'data', '{}');
    const reply = (await redis.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', stream, '>')) as Array<
      [string, Array<[string, string[]]>]
    >;
    const entryId = reply[0]![1][0]![0];
    expect(await pendingCount(redis, stream, 'g')).toBe(1);
    const before = Date.now();
    expect(await m.begin(stream, 'e1', 'token-a')).toBe('acquired');
    await m.completeAndAck(stream, entryId, 'e1');
    expect(await pendingCount(redis, stream, 'g')).toBe(0);
    expect(await redis.get(m.markerKey(stream, 'e1'))).toBe('done');
    expect(Number(await redis.hget(consumerAcksKey(ns, stream, 'g'), 'c1'))).toBeGreaterThanOrEqual(before);
    expect(await markers('c2').begin(stream, 'e1', 'token-b')).toBe('done');
  });

  it('releases and extends a lease only for its holder', async () => {
    const a = markers('c1', 1_000);
    const b = markers('c2', 1_000);
    await a.begin(stream, 'e1', 'token-a');
    await b.release(stream, 'e1', 'token-b'); // not the holder: nothing happens
    expect(await redis.get(a.markerKey(stream, 'e1'))).toBe('token-a');
    await redis.pexpire(a.markerKey(stream, 'e1'), 50);
    await a.extendLeases();
    expect(await redis.pttl(a.markerKey(stream, 'e1'))).toBeGreaterThan(500);
    await a.release(stream, 'e1', 'token-a');
    expect(await redis.exists(a.markerKey(stream, 'e1'))).toBe(0);
    expect(await b.begin(stream, 'e1', 'token-b')).toBe('acquired');
  });

  it('keeps the last error of an entry for the dead-letter reason', async () => {
    const m = markers();
    await m.recordError(stream, '1-0', 'whisper exploded');
    expect(await m.lastError(stream, '1-0')).toBe('whisper exploded');
    expect(await m.lastError(stream, '2-0')).toBeNull();
  });
});
