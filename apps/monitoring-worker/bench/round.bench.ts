/**
 * What one monitoring round costs: Redis commands and wall time per round, for the 5 streams of a
 * default deployment and for 50 (a partitioned ingest), against a private Redis (so the command count
 * is exact) and the two mocks. Baseline, measured in the same run: the same 50 streams read the naive
 * way, one command per round trip. Prints figures and ratios and writes bench/results/monitoring.json.
 * Never fails on a timing.
 *   BENCH_ROUNDS (default 30), BENCH_STREAMS (default 50)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { consumerAcksKey } from '@livetranslate/redis-streams';
import { monitoringKeys } from '@livetranslate/contracts';
import { busKeyPrefixOf, loadEnv } from '@livetranslate/service-kit';
import { appEntry, freePort, startAppProcess } from '@livetranslate/service-kit/testing';
import { Redis } from 'ioredis';
import { AppModule } from '../dist/app.module.js';
import { MonitoringEnv } from '../dist/config/env.js';
import { MonitoringRound } from '../dist/round/monitoring-round.js';
import { StreamInspector } from '../dist/streams/stream-inspector.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 50);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const PREFIX = 'bench';
const BUS_PREFIX = busKeyPrefixOf({ REDIS_KEY_PREFIX: PREFIX });

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2));
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(info.match(/total_commands_processed:(\d+)/)![1]);
}

/** Each stream: entries, a group with two consumers holding pending entries, ack clocks, some dead letters. */
async function seed(redis: Redis, streams: string[]): Promise<void> {
  for (const stream of streams) {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 20; i++) pipeline.xadd(stream, '*', 'data', '{}');
    pipeline.xgroup('CREATE', stream, 'workers', '0');
    pipeline.xreadgroup('GROUP', 'workers', 'c1', 'COUNT', 3, 'STREAMS', stream, '>');
    pipeline.xreadgroup('GROUP', 'workers', 'c2', 'COUNT', 3, 'STREAMS', stream, '>');
    pipeline.hset(consumerAcksKey(BUS_PREFIX, stream, 'workers'), 'c1', Date.now(), 'c2', Date.now());
    pipeline.xadd(`${stream}:dlq`, '*', 'data', '{}');
    await pipeline.exec();
  }
}

/** The naive reading of the same figures: every command its own round trip. */
async function naive(redis: Redis, streams: string[]): Promise<void> {
  for (const stream of streams) {
    await redis.xlen(stream);
    await redis.xlen(`${stream}:dlq`);
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    for (const group of groups) {
      const name = String(group[1]);
      await redis.xinfo('CONSUMERS', stream, name);
      await redis.xpending(stream, name);
      await redis.hgetall(consumerAcksKey(BUS_PREFIX, stream, name));
    }
  }
}

async function measure(redis: Redis, run: () => Promise<unknown>) {
  const times: number[] = [];
  const commands: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const before = await commandsProcessed(redis);
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    // The INFO that reads the counter counts itself once.
    commands.push((await commandsProcessed(redis)) - before - 1);
  }
  return {
    ms: { p50: percentile(times, 50), p99: percentile(times, 99) },
    commands: percentile(commands, 50),
  };
}

async function main(): Promise<void> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  // ioredis retries on its own until the server listens; the ping waits for that.
  const redis = new Redis(url, { protocol: 2, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  await redis.ping();
  const [whisper, translation] = await Promise.all([
    startAppProcess(appEntry(root, 'whisper-mock')),
    startAppProcess(appEntry(root, 'translation-mock')),
  ]);
  try {
    const env = loadEnv(MonitoringEnv, {
      REDIS_URL: url,
      REDIS_KEY_PREFIX: PREFIX,
      AUDIO_SERVICE_URL: whisper.url,
      TRANSLATION_SERVICE_URL: translation.url,
      // The schedule's own rounds stay out of the way: the bench runs rounds itself.
      MONITOR_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'error',
    });
    const many = Array.from({ length: STREAMS }, (_, i) => `stream:audio-ingest:{${i}}`);
    await seed(redis, many);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(env), { logger: ['error'] });
    const round = app.get(MonitoringRound);
    // Wait out the scheduler's first round, which holds the round lock while it runs.
    while (!(await redis.exists(monitoringKeys(PREFIX).lastRound)))
      await new Promise((r) => setTimeout(r, 50));
    const defaults = await measure(redis, () => round.run());
    const fifty = await measure(redis, () => round.run(many));
    const baseline = await measure(redis, () => naive(redis, many));
    const inspector = app.get(StreamInspector);
    const inspectOnly = await measure(redis, () => inspector.inspect(many, Date.now()));
    await app.close();
    const result = {
      measured_at: new Date().toISOString(),
      rounds: ROUNDS,
      round_default_streams: { streams: 5, ...defaults },
      round_many_streams: { streams: STREAMS, ...fifty },
      stream_reading: {
        pipelined: inspectOnly,
        naive_baseline: baseline,
        ratio_time_pipelined_vs_naive: Number((inspectOnly.ms.p50 / baseline.ms.p50).toFixed(3)),
      },
      note: 'a round includes the HTTP probes of the mocks and the writes of its state; commands are exact (private Redis)',
    };
    console.log(JSON.stringify(result, null, 2));
    const outDir = `${root}bench/results/`;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${outDir}monitoring.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.all([whisper.stop('SIGKILL'), translation.stop('SIGKILL')]);
    await redis.quit().catch(() => undefined);
    server.kill('SIGKILL');
  }
}

await main();
