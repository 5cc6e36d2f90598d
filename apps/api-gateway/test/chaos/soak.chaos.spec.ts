import { Stack } from '../e2e/support/stack.js';
import { FULL, record } from './support/figures.js';
import { ChunkLoad, metricSum, sleep } from './support/load.js';

/** 10 minutes as a bench (CHAOS_SCALE=bench); long enough in CI to see a trend, short enough to fit. */
const SOAK_MS = Number(process.env.CHAOS_SOAK_MS) || (FULL ? 600_000 : 30_000);
const INTERVAL_MS = 250;
const SESSIONS = FULL ? 8 : 3;

/** Entries of the ingest stream not yet delivered to the pipeline's group, plus those in flight. */
async function ingestBacklog(stack: Stack): Promise<number> {
  const groups = (await stack.redis.call('XINFO', 'GROUPS', stack.shared.EVENT_STREAM_AUDIO!)) as unknown[][];
  let backlog = 0;
  for (const group of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i < group.length; i += 2) info.set(String(group[i]), group[i + 1]);
    if (info.get('name') !== 'audio-pipeline') continue;
    backlog += Number(info.get('lag') ?? 0) + Number(info.get('pending') ?? 0);
  }
  return backlog;
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576);

describe('fault suite: soak at a steady load', () => {
  let stack: Stack | undefined;
  afterAll(() => stack?.stop());

  it('keeps the backlog and memory flat and loses nothing', async () => {
    stack = await Stack.start({ workers: 2 });
    const chunksPerSession = Math.floor(SOAK_MS / INTERVAL_MS);
    const load = await ChunkLoad.start(stack, {
      sessions: SESSIONS,
      chunksPerSession,
      intervalMs: INTERVAL_MS,
    });
    const rss = (apps: Stack['gateways']) =>
      metricSum(apps, /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/);
    const samples: Array<{ backlog: number; gateway: number; workers: number }> = [];
    const sampleEvery = Math.max(1_000, SOAK_MS / 20);
    const until = Date.now() + SOAK_MS;
    while (Date.now() < until) {
      await sleep(sampleEvery);
      samples.push({
        backlog: await ingestBacklog(stack),
        gateway: await rss(stack.gateways),
        workers: await rss(stack.workers),
      });
    }
    const figures = await load.finish();
    const backlogAfter = await ingestBacklog(stack);
    // Flat: the last third against the first (warm-up excluded).
    const third = Math.max(1, Math.floor(samples.length / 3));
    const avg = (rows: typeof samples, key: 'backlog' | 'gateway' | 'workers') =>
      rows.reduce((n, r) => n + r[key], 0) / rows.length;
    const early = samples.slice(third, 2 * third);
    const late = samples.slice(-third);
    record({
      scenario: `soak: ${SESSIONS} sessions, ${Math.round((SESSIONS * 1000) / INTERVAL_MS)} chunks/s for ${SOAK_MS / 1000} s`,
      ...figures,
      note:
        `backlog ${avg(early, 'backlog').toFixed(1)} → ${avg(late, 'backlog').toFixed(1)} (after: ${backlogAfter}); ` +
        `RSS gateway ${mb(avg(early, 'gateway'))} → ${mb(avg(late, 'gateway'))} MB, ` +
        `workers ${mb(avg(early, 'workers'))} → ${mb(avg(late, 'workers'))} MB`,
    });
    expect(figures.sent).toBe(SESSIONS * chunksPerSession);
    expect(figures).toMatchObject({ lost: 0, failed: 0, duplicated: 0, deadLettered: 0 });
    expect(backlogAfter).toBe(0);
  });
});
