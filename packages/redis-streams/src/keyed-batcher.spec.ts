import { KeyedBatcher } from './keyed-batcher.js';

describe('KeyedBatcher', () => {
  it('sends calls made in one turn as one flush per key, and answers each caller', async () => {
    const flushes: Array<[string, number[]]> = [];
    const batcher = new KeyedBatcher<number, number>(async (key, items) => {
      flushes.push([key, items]);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([batcher.add('a', 1), batcher.add('b', 2), batcher.add('a', 3)]);
    expect(results).toEqual([10, 20, 30]);
    expect(flushes).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });

  it('splits oversized batches and rejects every caller of a failed flush', async () => {
    const sizes: number[] = [];
    const batcher = new KeyedBatcher<number, number>(async (_key, items) => {
      sizes.push(items.length);
      if (items.includes(4)) throw new Error('redis down');
      return items;
    }, 3);
    const settled = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => batcher.add('k', n)));
    expect(sizes).toEqual([3, 2]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
  });
});
