import { InFlightWork } from './in-flight-work.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InFlightWork', () => {
  it('counts entries per stream until they settle, and wakes waiters when slots free', async () => {
    const work = new InFlightWork(3);
    const a = deferred();
    const b = deferred();
    work.track('s1', '1-0', a.promise);
    work.track('s2', '2-0', b.promise);
    expect(work.size).toBe(2);
    expect(work.free).toBe(1);
    expect(work.countOf('s1')).toBe(1);
    expect(work.has('s1', '1-0')).toBe(true);
    expect(work.idsByStream()).toEqual(
      new Map([
        ['s1', ['1-0']],
        ['s2', ['2-0']],
      ]),
    );

    let woke = false;
    const waiting = work
      .waitUntil(
        () => work.free >= 2,
        () => true,
      )
      .then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    a.resolve();
    await waiting;
    expect(woke).toBe(true);
    expect(work.has('s1', '1-0')).toBe(false);
    expect(work.countOf('s1')).toBe(0);
  });

  it('wakes a waiter only once what it waits for holds, not on every settled entry', async () => {
    const work = new InFlightWork(3);
    const entries = [deferred(), deferred(), deferred()];
    entries.forEach((e, i) => work.track('s', `${i}-0`, e.promise));
    // keepWaiting is asked each time the waiting loop runs: on entry and after each wake.
    let resumed = 0;
    let woke = false;
    const waiting = work
      .waitUntil(
        () => work.free >= 2,
        () => (resumed++, true),
      )
      .then(() => (woke = true));
    entries[0]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    entries[1]!.resolve();
    await waiting;
    // On entry and once woken with room: the first settle did not resume it just to wait again.
    expect(resumed).toBe(2);
  });

  it('stops waiting when told to, and drains within a grace period', async () => {
    const work = new InFlightWork(1);
    const slow = deferred();
    work.track('s', '1-0', slow.promise);
    let keep = true;
    const waiting = work.waitUntil(
      () => work.free > 0,
      () => keep,
    );
    keep = false;
    work.wakeAll();
    await waiting;
    expect(await work.drain(20)).toBe(false);
    slow.resolve();
    expect(await work.drain(1_000)).toBe(true);
  });
});
