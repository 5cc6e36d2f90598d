import type { RedisClient as Redis } from '../../src/connection.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { StreamRetention } from '../../src/stream-retention.js';
import { chunkPayload } from '../support/chunk.js';
import { deleteByPrefix, testNamespace, testRedis, TEST_REDIS } from '../support/redis.js';

describe('retention bounded by group progress', () => {
  let redis: Redis;
  let ns: string;
  let stream: string;

  beforeEach(() => {
    redis = testRedis();
    ns = testNamespace('retention');
    stream = `${ns}:s`;
  });
  afterEach(async () => {
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  async function addEntries(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await redis.xadd(stream, '*', 'data', `{"n":${i}}`)) as string);
    return ids;
  }

  it('keeps everything while no group exists', async () => {
    await addEntries(5);
    expect(await new StreamRetention(redis).trimToGroupProgress(stream, { exact: true })).toBe(0);
    expect(await redis.xlen(stream)).toBe(5);
  });

  it('never trims what the slowest group has not read or not acked, and reports lag', async () => {
    const ids = await addEntries(10);
    await redis.xgroup('CREATE', stream, 'fast', '0');
    await redis.xgroup('CREATE', stream, 'slow', '0');
    // fast reads and acks all ten; slow reads six and acks only the first four.
    await redis.xreadgroup('GROUP', 'fast', 'f1', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xack(stream, 'fast', ...ids);
    await redis.xreadgroup('GROUP', 'slow', 's1', 'COUNT', 6, 'STREAMS', stream, '>');
    await redis.xack(stream, 'slow', ...ids.slice(0, 4));

    const retention = new StreamRetention(redis);
    const stats = Object.fromEntries((await retention.groupStats(stream)).map((s) => [s.group, s]));
    expect(stats.fast).toMatchObject({ pending: 0, lag: 0, oldestPendingId: null });
    expect(stats.slow).toMatchObject({ pending: 2, lag: 4, oldestPendingId: ids[4] });

    expect(await retention.trimToGroupProgress(stream, { exact: true })).toBe(4);
    const left = (await redis.xrange(stream, '-', '+')).map(([id]) => id);
    expect(left).toEqual(ids.slice(4));

    // Entries younger than minAgeMs stay even when every group is done with them.
    await redis.xack(stream, 'slow', ...ids);
    await redis.xreadgroup('GROUP', 'slow', 's1', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xack(stream, 'slow', ...ids);
    expect(await retention.trimToGroupProgress(stream, { exact: true, minAgeMs: 60_000 })).toBe(0);
    expect(await retention.trimToGroupProgress(stream, { exact: true })).toBe(6);
    expect(await redis.xlen(stream)).toBe(0);
  });
});

describe('age-based retention of streams no group reads', () => {
  let redis: Redis;
  let ns: string;

  beforeEach(() => {
    redis = testRedis();
    ns = testNamespace('minid');
  });
  afterEach(async () => {
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  it('drops entries older than the stream’s max age on append, and leaves other streams whole', async () => {
    const results = `${ns}:results`;
    const other = `${ns}:other`;
    const publisher = new StreamEventPublisher({
      connection: TEST_REDIS,
      source: 'test',
      maxAgeMs: { [results]: 60_000 },
    });
    try {
      // Old entries, written with explicit ids two hours back, on both streams.
      const old = Date.now() - 2 * 3_600_000;
      for (let i = 0; i < 300; i++) {
        await redis.xadd(results, `${old + i}-0`, 'data', '{}');
        await redis.xadd(other, `${old + i}-0`, 'data', '{}');
      }
      await publisher.publish('AudioChunkReceived', chunkPayload(), { stream: results });
      await publisher.publish('AudioChunkReceived', chunkPayload(), { stream: other });
      // `~` trims whole macro nodes (100 entries each by default); what stays is at most one node.
      expect(await redis.xlen(results)).toBeLessThanOrEqual(101);
      expect(await redis.xlen(other)).toBe(301);
    } finally {
      await publisher.close();
    }
  });
});
