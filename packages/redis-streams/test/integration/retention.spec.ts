import type { Redis } from 'ioredis';
import { StreamRetention } from '../../src/stream-retention.js';
import { deleteByPrefix, testNamespace, testRedis } from '../support/redis.js';

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
