/**
 * What meeting bots cost, every process on this machine:
 *   1. simulated bots per bot-worker process at real-time pace: for 10, 25 and 50 bots, the worker's
 *      CPU share and memory (PSS), memory per bot against the idle worker measured in the same
 *      run, the pace (audio the bots delivered / wall time; 1.0 keeps up) and the worst lag behind
 *      the meeting (under about one chunk while a bot keeps up);
 *   2. one browser bot (headless Chromium on a local meeting page): CPU and memory of the worker plus
 *      its Chromium processes, against the same worker idle.
 * Prints a table and writes bench/results/bots.json. Never fails on a timing.
 *   BENCH_SECONDS (measurement window per step, default 8)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processCpuMs } from '@livetranslate/service-kit/testing';
import { GatewayClient, type BotInfo } from '@livetranslate/contracts';
import { ended, waitForBot } from '../test/e2e/support/bots.js';
import { MeetingPage } from '../test/e2e/support/meeting-page.js';
import { Stack, TENANT_A_KEY } from '../test/e2e/support/stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const COUNTS = [10, 25, 50];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process and every descendant (Chromium and its helpers). */
function tree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  }
  return out;
}

function cpuMs(pids: number[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      ms += processCpuMs(pid);
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/** Proportional set size: shared pages split between the processes sharing them (Chromium's many). */
function pssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/Pss:\s+(\d+) kB/)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** CPU share (1.0 = one core) and memory of a process tree over a window. */
async function measure(pid: number, seconds: number) {
  const before = cpuMs(tree(pid));
  const started = performance.now();
  await sleep(seconds * 1000);
  const pids = tree(pid);
  const cpu = (cpuMs(pids) - before) / (performance.now() - started);
  return { cpu: Number(cpu.toFixed(3)), pss_mb: Number(pssMb(pids).toFixed(1)) };
}

async function timelineMs(stack: Stack, sessionId: string): Promise<number> {
  return Number((await stack.redis.hget(`${stack.ns}:session:{${sessionId}}`, 'timeline_ms')) ?? 0);
}

async function simulatedStep(stack: Stack, client: GatewayClient, count: number, workerPid: number) {
  const bots: BotInfo[] = [];
  for (let i = 0; i < count; i++) {
    bots.push(
      await client.createBot({
        meeting_url: `sim://bench-${count}-${i}?end=never&lobby_ms=0`,
        platform: 'simulated',
      }),
    );
  }
  await Promise.all(bots.map((b) => waitForBot(client, b.bot_id, (x) => x.status === 'active', 60_000)));
  await sleep(3_500); // past the first chunk of every bot
  const startTimeline = await Promise.all(bots.map((b) => timelineMs(stack, b.session_id)));
  const started = performance.now();
  const usage = await measure(workerPid, SECONDS);
  const wall = performance.now() - started;
  const endTimeline = await Promise.all(bots.map((b) => timelineMs(stack, b.session_id)));
  // Audio reaches the timeline a chunk at a time, so pace is coarse over a short window; the lag
  // (meeting time heard so far minus audio delivered) shows whether a bot keeps up: it stays under
  // about one chunk while it does, and grows when the worker falls behind.
  const paces = endTimeline.map((end, i) => (end - startTimeline[i]!) / wall);
  const records = await Promise.all(
    bots.map((b) => stack.redis.hget(`${stack.ns}:tenant:{tenant-a}:bot:${b.bot_id}`, 'meeting_epoch')),
  );
  const lags = records.map((epoch, i) => Date.now() - Number(epoch) - endTimeline[i]!);
  await Promise.all(bots.map((b) => client.stopBot(b.bot_id)));
  await Promise.all(bots.map((b) => waitForBot(client, b.bot_id, ended, 60_000)));
  const mean = paces.reduce((a, b) => a + b, 0) / paces.length;
  return {
    bots: count,
    ...usage,
    pace_mean: Number(mean.toFixed(2)),
    pace_min: Number(Math.min(...paces).toFixed(2)),
    lag_max_ms: Math.round(Math.max(...lags)),
  };
}

async function main(): Promise<void> {
  const meeting = await MeetingPage.start([
    { speaker: 'Alice', words: ['hello', 'friend', 'good', 'morning'] },
    { speaker: 'Bob', words: ['thank', 'you', 'water', 'please'] },
  ]);
  const stack = await Stack.start({ gatewayEnv: { MAX_BOTS_PER_TENANT: '100' } });
  try {
    const worker = await stack.addBotWorker('bench', {
      MAX_CONCURRENT_BOTS: '60',
      BOT_BROWSER_IGNORE_HTTPS_ERRORS: 'true',
      BOT_CAPTION_TOLERANCE_MS: '0',
      LOG_LEVEL: 'error',
    });
    const pid = worker.child.pid!;
    const client = new GatewayClient({ baseUrl: stack.gateways[0]!.url, apiKey: TENANT_A_KEY });
    const idle = await measure(pid, 3);
    const simulated = [];
    for (const count of COUNTS) {
      const step = await simulatedStep(stack, client, count, pid);
      simulated.push({
        ...step,
        pss_per_bot_mb: Number(((step.pss_mb - idle.pss_mb) / count).toFixed(2)),
        cpu_per_bot: Number(((step.cpu - idle.cpu) / count).toFixed(4)),
      });
      console.log(JSON.stringify(simulated.at(-1)));
    }

    // One browser bot: admitted by the host, playing the page's WAV.
    const bot = await client.createBot({ meeting_url: meeting.meetingUrl, platform: 'google_meet' });
    await waitForBot(client, bot.bot_id, (b) => b.status === 'awaiting_admission', 60_000);
    meeting.admit();
    await waitForBot(client, bot.bot_id, (b) => b.status === 'active', 60_000);
    const browser = await measure(pid, SECONDS);
    await client.stopBot(bot.bot_id);
    await waitForBot(client, bot.bot_id, ended, 60_000);

    const result = {
      measured_at: new Date().toISOString(),
      window_seconds: SECONDS,
      idle_worker: idle,
      simulated,
      browser_bot: {
        ...browser,
        cpu_over_idle: Number((browser.cpu - idle.cpu).toFixed(3)),
        pss_over_idle_mb: Number((browser.pss_mb - idle.pss_mb).toFixed(1)),
      },
    };
    console.table(simulated);
    console.log('idle worker', idle, '\none browser bot (worker + Chromium)', result.browser_bot);
    const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${outDir}bots.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stack.stop();
    await meeting.stop();
  }
}

await main();
