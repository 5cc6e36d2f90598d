/**
 * Events per second, publish → handle → ack, 1 KB payloads, same count and batch size for:
 *   transport   — this package's RedisStreamsServer inside a Nest microservice, every guarantee on
 *   transport_without_markers — the same with idempotency markers off (at-least-once, acked after
 *                 the handler, dead-lettering, tracing, payload checks all still on): the markers' cost
 *   raw_ioredis — a minimal hand-written XADD + XREADGROUP + XACK loop (the practical ceiling)
 *   bullmq      — Queue.addBulk → Worker on the same Redis
 * then where the transport's CPU per event goes beyond the raw loop's: the markers (from the two
 * transport scenarios) and, each measured alone, publishing, the payload and envelope checks and Nest's
 * per-message dispatch, with what they leave unattributed;
 * and then transport and raw loop again on a private 3-master Redis Cluster (one stream per master),
 * reported as events/s in all and per master, and each master's efficiency against the single server.
 * Prints a table and writes bench/results/bus.json at the repository root. Never fails on a timing.
 *
 *   BENCH_EVENTS (default 20000), BENCH_WARMUP_EVENTS (default 5000), BENCH_ROUNDS (default 5), BENCH_BATCH (default 100), REDIS_URL, BENCH_CLUSTER=0 skips the cluster,
 *   BENCH_ONLY=transport|transport_without_markers|raw_ioredis|bullmq runs that scenario alone and writes nothing (for profiling)
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { partCosts } from './bus-parts.js';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createEnvelope, type AudioChunkReceived } from '@livetranslate/contracts';
import { Queue, Worker } from 'bullmq';
import type { Cluster } from 'ioredis';
import {
  OnEvent,
  openRedis,
  parseClusterNodes,
  RedisStreamsServer,
  slotOf,
  StreamErrorFilter,
  StreamEventPublisher,
  type RedisClient,
  type RedisConnection,
} from '../src/index.js';
import {
  deleteByPrefix,
  describeMachineCosts,
  measureMachineCosts,
  median,
  startRedisCluster,
} from '../src/testing/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MEASURED_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
// Every scenario first runs this many events unmeasured, so none is measured while its code is cold.
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? 5_000);
let EVENTS = MEASURED_EVENTS;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
let quiet = false;
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const ns = `bench:bus:${randomUUID().slice(0, 8)}`;

function payload(seq: number): AudioChunkReceived {
  return {
    session_id: 'bench-session',
    chunk_id: `bench-session:${seq}`,
    seq,
    tenant_id: 'bench',
    source_type: 'websocket',
    storage_uri: `redis://audio:{bench-session}:${seq}`,
    content_type: 'audio/L16;rate=16000',
    audio_config: { sample_rate: 16000, channels: 1, encoding: 'pcm_s16le' },
    start_ms: seq * 3000,
    duration_ms: 3000,
    processing_flags: {
      transcribe: true,
      diarize: false,
      translate: true,
      target_languages: ['es', 'fr', 'de'],
    },
  };
}

// Pads the envelope to ~1 KB on the wire.
const metadata = {
  note: 'x'.repeat(
    1024 - JSON.stringify(createEnvelope('AudioChunkReceived', payload(0), { source: 'bench' })).length - 24,
  ),
};
const envelopeBytes = JSON.stringify(
  createEnvelope('AudioChunkReceived', payload(0), { source: 'bench', metadata }),
).length;

function redis(connection: RedisConnection = REDIS_URL): RedisClient {
  return openRedis(connection, 'bench');
}

/** CPU per event of this process and of the Redis server, per scenario, one figure per run. */
const cpuPerEvent = new Map<string, { node: number[]; redis: number[] }>();

/** How many more (or fewer) events `name` handles per CPU-second than `baseline`, from the medians. */
function cpuRatio(name: string, baseline: string): number {
  const total = (scenario: string) => {
    const f = cpuPerEvent.get(scenario);
    return f ? median(f.node) + median(f.redis) : NaN;
  };
  return Number((total(baseline) / total(name)).toFixed(3));
}

async function redisCpuSeconds(probe: RedisClient): Promise<number> {
  const info = await probe.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/**
 * Runs one scenario and reports events/s, with the CPU it cost per event here (all threads: the
 * bench process publishes and consumes) and, on the single server, in Redis: on two shared cores
 * the two compete, so a guarantee's Redis work shows up in the rate too.
 */
async function measure(name: string, run: () => Promise<void>, singleServer: boolean): Promise<number> {
  const probe = singleServer ? redis() : undefined;
  const redisBefore = probe ? await redisCpuSeconds(probe) : NaN;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const redisUs = probe ? (((await redisCpuSeconds(probe)) - redisBefore) * 1e6) / EVENTS : NaN;
  probe?.disconnect();
  const nodeUs = (used.user + used.system) / EVENTS;
  const rate = EVENTS / seconds;
  if (!quiet) {
    const figures = cpuPerEvent.get(name) ?? { node: [], redis: [] };
    figures.node.push(nodeUs);
    figures.redis.push(redisUs);
    cpuPerEvent.set(name, figures);
    process.stdout.write(
      `  ${name.padEnd(26)} ${rate.toFixed(0).padStart(8)} events/s  (${seconds.toFixed(2)} s; CPU per event ` +
        `${nodeUs.toFixed(1)} µs here${probe ? `, ${redisUs.toFixed(1)} µs in Redis` : ''})\n`,
    );
  }
  return rate;
}

async function benchTransport(
  connection: RedisConnection = REDIS_URL,
  streams = [`${ns}:transport`],
  label = 'transport',
  idempotencyMarkers = true,
): Promise<number> {
  let handled = 0;
  let done!: () => void;
  const allHandled = new Promise<void>((resolve) => (done = resolve));

  @Controller()
  class BenchHandler {
    @OnEvent('AudioChunkReceived')
    handle() {
      if (++handled === EVENTS) done();
    }
  }
  @Module({ controllers: [BenchHandler] })
  class BenchModule {}

  const app = await NestFactory.createMicroservice(BenchModule, {
    logger: ['error'],
    strategy: new RedisStreamsServer({
      connection,
      streams,
      group: 'bench',
      consumer: 'bench-1',
      keyPrefix: ns,
      batchSize: BATCH,
      maxInFlight: BATCH,
      trimIntervalMs: 0,
      idempotencyMarkers,
    }),
  });
  app.useGlobalFilters(new StreamErrorFilter());
  await app.listen();
  const publisher = new StreamEventPublisher({ connection, source: 'bench' });
  const rate = await measure(
    label,
    async () => {
      for (let i = 0; i < EVENTS; i += BATCH) {
        const batch: Promise<string>[] = [];
        for (let j = i; j < Math.min(i + BATCH, EVENTS); j++) {
          const stream = streams[j % streams.length]!;
          batch.push(publisher.publish('AudioChunkReceived', payload(j), { stream, metadata }));
        }
        await Promise.all(batch);
      }
      await allHandled;
    },
    connection === REDIS_URL,
  );
  await publisher.close();
  await app.close();
  return rate;
}

async function benchRaw(
  connection: RedisConnection = REDIS_URL,
  streams = [`${ns}:raw`],
  label = 'raw_ioredis',
): Promise<number> {
  const producer = redis(connection);
  // One blocking reader per stream (on a cluster each stream is on its own node).
  const readers = streams.map(() => redis(connection));
  for (const stream of streams) await producer.xgroup('CREATE', stream, 'bench', '0', 'MKSTREAM');
  let handled = 0;
  const consume = async (reader: RedisClient, stream: string) => {
    while (handled < EVENTS) {
      const reply = (await reader.xreadgroup(
        'GROUP',
        'bench',
        'raw-1',
        'COUNT',
        BATCH,
        'BLOCK',
        200,
        'STREAMS',
        stream,
        '>',
      )) as Array<[string, Array<[string, string[]]>]> | null;
      if (!reply) continue;
      for (const [key, entries] of reply) {
        const ids: string[] = [];
        for (const [id, fields] of entries) {
          JSON.parse(fields[1]!); // the minimum any consumer does: read the envelope
          ids.push(id);
        }
        await reader.xack(key, 'bench', ...ids);
        handled += ids.length;
      }
    }
  };
  const rate = await measure(
    label,
    async () => {
      const consuming = Promise.all(streams.map((stream, i) => consume(readers[i]!, stream)));
      for (let i = 0; i < EVENTS; i += BATCH) {
        const batch: Promise<unknown>[] = [];
        for (let j = i; j < Math.min(i + BATCH, EVENTS); j++) {
          const data = JSON.stringify(
            createEnvelope('AudioChunkReceived', payload(j), { source: 'bench', metadata }),
          );
          batch.push(producer.xadd(streams[j % streams.length]!, '*', 'data', data));
        }
        await Promise.all(batch);
      }
      await consuming;
    },
    connection === REDIS_URL,
  );
  producer.disconnect();
  for (const reader of readers) reader.disconnect();
  return rate;
}

/**
 * The same two scenarios on a private 3-master cluster, one stream per master (hash tags chosen
 * so each master serves one).
 */
async function benchCluster(): Promise<{ masters: number; transport: number; raw: number }> {
  const cluster = await startRedisCluster(3);
  try {
    const connection = parseClusterNodes(cluster.nodes);
    const probe = redis(connection) as Cluster;
    await probe.ping();
    const owners = new Map<string, string>();
    for (let tag = 0; owners.size < cluster.masters.length; tag++) {
      const stream = `${ns}:cluster:{m${tag}}`;
      const owner = probe.slots[slotOf(stream)]![0]!;
      if (![...owners.values()].includes(owner)) owners.set(stream, owner);
    }
    probe.disconnect();
    const streams = [...owners.keys()];
    const transport = await benchTransport(connection, streams, 'transport@3');
    const raw = await benchRaw(
      connection,
      streams.map((s) => `${s}:raw`),
      'raw@3',
    );
    return { masters: cluster.masters.length, transport, raw };
  } finally {
    await cluster.stop();
  }
}

async function benchBullmq(): Promise<number> {
  const connection = { url: REDIS_URL } as const;
  const queueName = `${ns.replace(/:/g, '-')}-bullmq`;
  const queue = new Queue(queueName, {
    connection,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  let handled = 0;
  let done!: () => void;
  const allHandled = new Promise<void>((resolve) => (done = resolve));
  const worker = new Worker(
    queueName,
    async () => {
      if (++handled === EVENTS) done();
    },
    { connection, concurrency: BATCH },
  );
  await worker.waitUntilReady();
  const rate = await measure(
    'bullmq',
    async () => {
      for (let i = 0; i < EVENTS; i += BATCH) {
        const jobs = [];
        for (let j = i; j < Math.min(i + BATCH, EVENTS); j++) {
          jobs.push({
            name: 'AudioChunkReceived',
            data: createEnvelope('AudioChunkReceived', payload(j), { source: 'bench', metadata }),
          });
        }
        await queue.addBulk(jobs);
      }
      await allHandled;
    },
    true,
  );
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function cleanup(): Promise<void> {
  const client = redis();
  await deleteByPrefix(client, ns);
  client.disconnect();
}

process.stdout.write(
  `bus benchmark: ${EVENTS} events, ${envelopeBytes}-byte envelopes, batch ${BATCH}, ${REDIS_URL}\n`,
);
try {
  const only = process.env.BENCH_ONLY; // profiling aid: run one scenario
  const probe = redis();
  const machine = await measureMachineCosts(probe);
  probe.disconnect();
  process.stdout.write(`  ${describeMachineCosts(machine)}\n`);
  if (WARMUP_EVENTS > 0) {
    [EVENTS, quiet] = [WARMUP_EVENTS, true];
    await benchTransport(REDIS_URL, [`${ns}:warm-t`]);
    await benchTransport(REDIS_URL, [`${ns}:warm-nm`], 'warm', false);
    await benchRaw(REDIS_URL, [`${ns}:warm-raw`]);
    [EVENTS, quiet] = [MEASURED_EVENTS, false];
  }
  // The three compared scenarios run interleaved, ROUNDS times, and each reports its median: the
  // shared machine drifts by tens of percent over a run, which one pass each would read as a ratio.
  const rounds: Array<{ transport: number; withoutMarkers: number; raw: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) process.stdout.write(`  round ${round}/${ROUNDS}\n`);
    rounds.push({
      transport:
        !only || only === 'transport' ? await benchTransport(REDIS_URL, [`${ns}:transport:${round}`]) : NaN,
      withoutMarkers:
        !only || only === 'transport_without_markers'
          ? await benchTransport(
              REDIS_URL,
              [`${ns}:transport-nm:${round}`],
              'transport_without_markers',
              false,
            )
          : NaN,
      raw: !only || only === 'raw_ioredis' ? await benchRaw(REDIS_URL, [`${ns}:raw:${round}`]) : NaN,
    });
  }
  const transport = median(rounds.map((r) => r.transport));
  const withoutMarkers = median(rounds.map((r) => r.withoutMarkers));
  const raw = median(rounds.map((r) => r.raw));
  const bullmq = !only || only === 'bullmq' ? await benchBullmq() : NaN;
  const clustered = process.env.BENCH_CLUSTER === '0' || only ? null : await benchCluster();
  const parts = await partCosts({ redisUrl: REDIS_URL, ns, batch: BATCH, payload, metadata, redis });
  const validationUs = parts.payload_check;
  process.stdout.write(
    `  payload check (compiled from class-validator metadata): ${validationUs.toFixed(1)} µs, run twice per event (publish and consume)\n`,
  );
  // CPU per event in this process (median over the rounds); NaN for a scenario that did not run.
  const cpuOf = (name: string) => median(cpuPerEvent.get(name)?.node ?? [NaN]);
  const redisOf = (name: string) => median(cpuPerEvent.get(name)?.redis ?? [NaN]);
  const gap = cpuOf('transport') - cpuOf('raw_ioredis');
  const attributed = {
    publish_side: parts.publish_side,
    idempotency_markers: cpuOf('transport') - cpuOf('transport_without_markers'),
    payload_check_on_consume: validationUs,
    envelope_check: parts.envelope_check,
    nest_dispatch: parts.nest_dispatch,
  };
  const round1 = (n: number) => Number(n.toFixed(1));
  const costs = {
    ...Object.fromEntries(Object.entries(attributed).map(([k, v]) => [k, round1(v)])),
    idempotency_markers_in_redis: round1(redisOf('transport') - redisOf('transport_without_markers')),
    measured_gap: round1(gap),
    unattributed: round1(gap - Object.values(attributed).reduce((sum, v) => sum + v, 0)),
  } as Record<
    keyof typeof attributed | 'idempotency_markers_in_redis' | 'measured_gap' | 'unattributed',
    number
  >;
  const result = {
    scenario: 'bus',
    // What this machine charges per round trip and per wake, measured first: compare runs on two
    // machines through these, not through the raw figures.
    machine,
    validation_us_per_check: Number(validationUs.toFixed(1)),
    events: EVENTS,
    rounds: ROUNDS,
    batch: BATCH,
    payload_bytes: envelopeBytes,
    events_per_s: {
      transport: Math.round(transport),
      transport_without_markers: Math.round(withoutMarkers),
      raw_ioredis: Math.round(raw),
      bullmq: Math.round(bullmq),
    },
    ratios: {
      transport_vs_raw: Number((transport / raw).toFixed(3)),
      transport_without_markers_vs_raw: Number((withoutMarkers / raw).toFixed(3)),
      transport_vs_bullmq: Number((transport / bullmq).toFixed(3)),
    },
    // What each guarantee adds per event, in µs of the whole publish → handle → ack path.
    // CPU per event over the measured rounds (median), in the bench process and in Redis.
    cpu_us_per_event: Object.fromEntries(
      [...cpuPerEvent].map(([name, f]) => [
        name,
        { process: Number(median(f.node).toFixed(1)), redis: Number(median(f.redis).toFixed(1)) },
      ]),
    ),
    // Events per CPU-second (this process and Redis together) against the raw loop's: the work each
    // event costs, where events/s also counts the time spent waiting.
    cpu_ratios: {
      transport_vs_raw: cpuRatio('transport', 'raw_ioredis'),
      transport_without_markers_vs_raw: cpuRatio('transport_without_markers', 'raw_ioredis'),
    },
    // Where the transport's CPU per event here goes beyond the raw loop's (`measured_gap`), in µs:
    // the markers from the two transport scenarios (and their cost in Redis besides), the rest
    // measured alone; `unattributed` is what the parts leave of the gap: the consumer's own
    // plumbing (batching, in-flight tracking, tracing, acks), and the parts' cost under load.
    cost_us_per_event: costs,
    cluster: clustered && {
      masters: clustered.masters,
      events_per_s: { transport: Math.round(clustered.transport), raw_ioredis: Math.round(clustered.raw) },
      events_per_s_per_master: {
        transport: Math.round(clustered.transport / clustered.masters),
        raw_ioredis: Math.round(clustered.raw / clustered.masters),
      },
      // Each master's share against the single server in this run: 1.0 would be perfect scaling.
      efficiency_per_master: {
        transport: Number((clustered.transport / clustered.masters / transport).toFixed(3)),
        raw_ioredis: Number((clustered.raw / clustered.masters / raw).toFixed(3)),
      },
    },
  };
  if (result.cluster)
    process.stdout.write(
      `  cluster of ${result.cluster.masters}: per master transport ${result.cluster.events_per_s_per_master.transport}, raw ${result.cluster.events_per_s_per_master.raw_ioredis} events/s; ` +
        `efficiency per master vs the single server: transport ${result.cluster.efficiency_per_master.transport}, raw ${result.cluster.efficiency_per_master.raw_ioredis}\n`,
    );
  process.stdout.write(
    `  the transport's CPU per event beyond the raw loop's: ${costs.measured_gap} µs = publishing ${costs.publish_side} ` +
      `(payload check included) + idempotency markers ${costs.idempotency_markers} (and ${costs.idempotency_markers_in_redis} in Redis) ` +
      `+ payload check ${costs.payload_check_on_consume} + envelope check ${costs.envelope_check} + Nest dispatch ${costs.nest_dispatch} ` +
      `+ ${costs.unattributed} unattributed\n`,
  );
  process.stdout.write(
    `  events per CPU-second (here + Redis) vs raw: transport ${result.cpu_ratios.transport_vs_raw}, ` +
      `without markers ${result.cpu_ratios.transport_without_markers_vs_raw}\n`,
  );
  process.stdout.write(
    `  ratios: transport/raw ${result.ratios.transport_vs_raw} (target >= 0.8), ` +
      `without markers/raw ${result.ratios.transport_without_markers_vs_raw}, ` +
      `transport/bullmq ${result.ratios.transport_vs_bullmq} (target >= 2)\n`,
  );
  // One scenario alone (BENCH_ONLY, a profiling aid) has no ratios: it must not replace the results.
  if (!only) {
    const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${outDir}bus.json`, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`  wrote ${outDir}bus.json\n`);
  }
} finally {
  await cleanup();
}
process.exit(0);
