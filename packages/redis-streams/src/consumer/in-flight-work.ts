/** An entry being handled now, keyed by stream and id so a redelivery while it runs is ignored. */
export interface EntryKey {
  stream: string;
  id: string;
}

/**
 * Bounds the work a consumer holds: every handled entry is tracked here until its promise settles;
 * readers wait for free slots before asking Redis for more.
 */
export class InFlightWork {
  /** stream → entry id → settling promise. */
  private readonly byStream = new Map<string, Map<string, Promise<void>>>();
  private total = 0;
  /** Readers waiting for room, each with what it waits for. */
  private waiters: Array<{ ready: () => boolean; wake: () => void }> = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.total;
  }

  get free(): number {
    return Math.max(0, this.capacity - this.total);
  }

  /** Entries of one stream held now. */
  countOf(stream: string): number {
    return this.byStream.get(stream)?.size ?? 0;
  }

  has(stream: string, id: string): boolean {
    return this.byStream.get(stream)?.has(id) ?? false;
  }

  /** Tracks `work` until it settles; it must never reject (callers catch their own errors). */
  track(stream: string, id: string, work: Promise<void>): void {
    let entries = this.byStream.get(stream);
    if (!entries) this.byStream.set(stream, (entries = new Map()));
    entries.set(id, work);
    this.total++;
    void work.finally(() => {
      entries.delete(id);
      if (entries.size === 0) this.byStream.delete(stream);
      this.total--;
      this.wakeReady();
    });
  }

  /** Entry ids held now, per stream (for heartbeats). */
  idsByStream(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [stream, entries] of this.byStream) out.set(stream, [...entries.keys()]);
    return out;
  }

  /** Resolves once `ready()` holds (checked after every settled entry), or `keepWaiting` turns false. */
  async waitUntil(ready: () => boolean, keepWaiting: () => boolean): Promise<void> {
    while (keepWaiting() && !ready()) {
      await new Promise<void>((wake) => this.waiters.push({ ready, wake }));
    }
  }

  /** Releases every waiter (on stop, so readers can notice and exit). */
  wakeAll(): void {
    for (const { wake } of this.waiters.splice(0)) wake();
  }

  /**
   * Wakes only the waiters whose condition now holds: a reader waiting for room for a batch is not
   * woken, to wait again, by every one of the entries that settle before there is room.
   */
  private wakeReady(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.ready()) waiter.wake();
      else this.waiters.push(waiter);
    }
  }

  /** Waits for every tracked entry, at most `graceMs`; true when all settled in time. */
  async drain(graceMs: number): Promise<boolean> {
    const all = [...this.byStream.values()].flatMap((entries) => [...entries.values()]);
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.allSettled(all).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    return settled;
  }
}
