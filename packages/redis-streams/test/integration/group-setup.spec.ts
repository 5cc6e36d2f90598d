import type { RedisClient as Redis } from '../../src/connection.js';
import { ensureGroups } from '../../src/consumer/group-setup.js';
import { deleteByPrefix, testNamespace, testRedis } from '../support/redis.js';

/** The group's read counter and lag, and the stream's counters, as XINFO reports them. */
async function figures(redis: Redis, stream: string, group: string) {
  const info = (await redis.xinfo('STREAM', stream)) as unknown[];
  const at = (key: string) => info[info.indexOf(key) + 1];
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  const g = groups.find((row) => row[1] === group)!;
  return {
    added: Number(at('entries-added')),
    length: Number(at('length')),
    read: g[g.indexOf('entries-read') + 1] as number | null,
    lag: g[g.indexOf('lag') + 1] as number | null,
  };
}

describe('group setup (real Redis)', () => {
  let redis: Redis;
  let ns: string;
  beforeEach(() => {
    redis = testRedis();
    ns = testNamespace('groups');
  });
  afterEach(async () => {
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  it('creates a group from the start with a known read counter: entries removed before it count as read', async () => {
    const stream = `${ns}:s`;
    for (let i = 0; i < 3; i++) await redis.xadd(stream, '*', 'data', '{}');
    await redis.xtrim(stream, 'MAXLEN', 1);
    await ensureGroups(redis, [stream, `${ns}:new`], 'g', '0');
    await ensureGroups(redis, [stream], 'g', '0'); // idempotent
    expect(await figures(redis, stream, 'g')).toEqual({ added: 3, length: 1, read: 2, lag: 1 });
    expect((await figures(redis, `${ns}:new`, 'g')).read).toBe(0);
  });

  it('lets entries trimmed by length before the group read them be counted (added − length − read)', async () => {
    const stream = `${ns}:t`;
    await ensureGroups(redis, [stream], 'g', '0');
    for (let i = 0; i < 5; i++) await redis.xadd(stream, '*', 'data', '{}');
    await redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 2, 'STREAMS', stream, '>');
    // A publisher in the original's style trims by length, whoever has read.
    await redis.xadd(stream, 'MAXLEN', '1', '*', 'data', '{}');
    const f = await figures(redis, stream, 'g');
    expect(f.added - f.length - Number(f.read)).toBe(3);
  });
});
