import { StreamTail } from '../../src/stream-tail.js';
import { deleteByPrefix, testNamespace, testRedis, waitFor } from '../support/redis.js';

describe('StreamTail (real Redis)', () => {
  const redis = testRedis();
  let ns: string;
  let tails: StreamTail[];

  beforeEach(() => {
    ns = testNamespace('tail');
    tails = [];
  });
  afterEach(async () => {
    await Promise.all(tails.map((t) => t.close()));
    await deleteByPrefix(redis, ns);
  });
  afterAll(() => redis.disconnect());

  function tail(stream: string, onEntry: (id: string, fields: string[]) => void | Promise<void>) {
    const t = new StreamTail(testRedis(), { stream, onEntry, blockMs: 60_000 });
    tails.push(t);
    return t;
  }

  it('delivers, in order, exactly the entries added after the position it started from', async () => {
    const stream = `${ns}:{t}:s`;
    await redis.xadd(stream, '*', 'n', 'before');
    const seen: string[] = [];
    const t = tail(stream, (_id, fields) => void seen.push(fields[1]!));
    t.start(await t.position());
    for (const n of ['a', 'b', 'c']) await redis.xadd(stream, '*', 'n', n);
    await waitFor(() => seen.length === 3, { what: 'three entries' });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('starts from the beginning of a stream that does not exist yet', async () => {
    const stream = `${ns}:{t}:new`;
    const seen: string[] = [];
    const t = tail(stream, (id) => void seen.push(id));
    expect(await t.position()).toBe('0-0');
    t.start('0-0');
    const id = await redis.xadd(stream, '*', 'n', '1');
    await waitFor(() => seen.length === 1, { what: 'first entry' });
    expect(seen).toEqual([id]);
  });

  it('keeps going past an entry its handler fails on, and waits for handlers that return promises', async () => {
    const stream = `${ns}:{t}:fail`;
    const order: string[] = [];
    const t = tail(stream, async (_id, fields) => {
      const n = fields[1]!;
      if (n === 'bad') throw new Error('cannot take this one');
      await new Promise((r) => setTimeout(r, n === 'slow' ? 50 : 0));
      order.push(n);
    });
    t.start(await t.position());
    for (const n of ['slow', 'bad', 'fast']) await redis.xadd(stream, '*', 'n', n);
    await waitFor(() => order.length === 2, { what: 'both good entries' });
    expect(order).toEqual(['slow', 'fast']);
  });

  it('closes while its read is blocked (the read is cut by its own connection closing)', async () => {
    const stream = `${ns}:{t}:idle`;
    const t = new StreamTail(testRedis(), { stream, onEntry: () => undefined, blockMs: 60_000 });
    t.start(await t.position());
    await new Promise((r) => setTimeout(r, 50));
    await t.close(); // would hang for the 60 s block, past the test's timeout, if it waited for it
  });
});
