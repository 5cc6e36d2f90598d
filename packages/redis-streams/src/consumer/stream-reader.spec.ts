import type { RedisClient } from '../connection.js';
import { InFlightWork } from './in-flight-work.js';
import type { ReadEntry } from './entry-processor.js';
import { StreamReader } from './stream-reader.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A Redis double that answers XREADGROUP from a script and records every call. */
function scriptedRedis(replies: Array<unknown | Error>) {
  const calls: unknown[][] = [];
  let disconnected = false;
  const redis = {
    call: async (...args: unknown[]) => {
      calls.push(args);
      const next = replies.shift();
      if (next instanceof Error) throw next;
      if (next !== undefined) return next;
      // Nothing scripted: block like Redis would until disconnected.
      while (!disconnected) await new Promise((r) => setTimeout(r, 5));
      throw new Error('Connection is closed.');
    },
    disconnect: () => (disconnected = true),
  };
  return { redis: redis as unknown as RedisClient, calls };
}

const settings = { group: 'g', consumer: 'c', batchSize: 10, blockMs: 100, quota: 4 };

describe('StreamReader', () => {
  it('names one stream per XREADGROUP and asks for no more than its quota', async () => {
    const { redis, calls } = scriptedRedis([[['s1', [['1-0', ['data', '{}']]]]]]);
    const read: ReadEntry[] = [];
    const reader = new StreamReader(
      { ...settings, stream: 's1' },
      redis,
      new InFlightWork(8),
      (entry) => read.push(entry),
      async () => undefined,
      silent,
    );
    reader.start();
    await new Promise((r) => setTimeout(r, 30));
    await reader.stop();
    expect(read).toEqual([
      { stream: 's1', id: '1-0', fields: ['data', '{}'], deliveries: 1, reclaimed: false },
    ]);
    const first = calls[0]!;
    expect(first.slice(0, 5)).toEqual(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT']);
    expect(first[5]).toBe(4);
    const streamsAt = first.indexOf('STREAMS');
    expect(first.slice(streamsAt)).toEqual(['STREAMS', 's1', '>']);
  });

  it('recreates a vanished group and keeps reading', async () => {
    const { redis, calls } = scriptedRedis([new Error('NOGROUP No such key'), []]);
    let recreated = 0;
    const reader = new StreamReader(
      { ...settings, stream: 's1' },
      redis,
      new InFlightWork(8),
      () => undefined,
      async () => {
        recreated++;
      },
      silent,
    );
    reader.start();
    await new Promise((r) => setTimeout(r, 120));
    await reader.stop();
    expect(recreated).toBe(1);
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it('waits while its stream holds its quota', async () => {
    const { redis, calls } = scriptedRedis([]);
    const inFlight = new InFlightWork(8);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    for (let i = 0; i < 4; i++) inFlight.track('s1', `${i}-0`, held);
    const reader = new StreamReader(
      { ...settings, stream: 's1' },
      redis,
      inFlight,
      () => undefined,
      async () => undefined,
      silent,
    );
    reader.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(0);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    await reader.stop();
  });
});
