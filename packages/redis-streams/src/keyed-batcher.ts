/**
 * Coalesces calls made in the same turn of the event loop into one flush per key, so a batch of
 * entries costs one Redis round trip instead of one per entry.
 */
export class KeyedBatcher<I, O> {
  private readonly pending = new Map<
    string,
    Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }>
  >();
  private scheduled = false;

  constructor(
    private readonly flush: (key: string, items: I[]) => Promise<O[]>,
    private readonly maxBatch = 256,
  ) {}

  add(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      let queue = this.pending.get(key);
      if (!queue) this.pending.set(key, (queue = []));
      queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [key, queue] of batches) {
      for (let start = 0; start < queue.length; start += this.maxBatch) {
        const slice = queue.slice(start, start + this.maxBatch);
        this.flush(
          key,
          slice.map((q) => q.item),
        ).then(
          (results) => slice.forEach((q, i) => q.resolve(results[i] as O)),
          (error: unknown) => slice.forEach((q) => q.reject(error)),
        );
      }
    }
  }
}
