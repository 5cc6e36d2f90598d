/**
 * How fast a configuration change reaches every running replica (two gateways, two audio workers):
 * from the commit (the version's `changed_at`) to each replica applying it (the time it reports in
 * the store when it does). Both clocks are this machine's. Prints p50/p99 of "applied everywhere"
 * and per replica, and writes bench/results/config.json. Never fails on a timing.
 *   BENCH_CHANGES (default 40)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PLATFORM_KEY, Stack } from '../test/e2e/support/stack.js';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 40);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const stack = await Stack.start({ gateways: 2, workers: 2 });
  try {
    const url = stack.gateways[0]!.url;
    const headers = { 'x-api-key': PLATFORM_KEY, 'content-type': 'application/json' };
    const appliedKey = `${stack.ns}:config:{global}:applied`;
    const everywhere: number[] = [];
    const perReplica = new Map<string, number[]>();
    let etag = (await fetch(`${url}/api/config`, { headers })).headers.get('etag')!;
    await sleep(1_000); // every replica has started and reported
    const replicas = Object.keys(await stack.redis.hgetall(appliedKey));
    for (let i = 0; i < CHANGES; i++) {
      const changed = await fetch(`${url}/api/config`, {
        method: 'PATCH',
        headers: { ...headers, 'if-match': etag },
        body: JSON.stringify({ limits: { max_chunks_per_second: 10 + (i % 2) } }),
      });
      const version = (await changed.json()) as { version: number; changed_at: string };
      etag = changed.headers.get('etag')!;
      const committedAt = Date.parse(version.changed_at);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const reports = Object.entries(await stack.redis.hgetall(appliedKey)).map(
          ([replica, json]) => [replica, JSON.parse(json) as { version: number; at: string }] as const,
        );
        const done = reports.filter(([, r]) => r.version >= version.version);
        if (done.length >= replicas.length || Date.now() > deadline) {
          const delays = done.map(([replica, r]) => {
            const ms = Date.parse(r.at) - committedAt;
            perReplica.set(replica, [...(perReplica.get(replica) ?? []), ms]);
            return ms;
          });
          everywhere.push(Math.max(...delays));
          break;
        }
        await sleep(2);
      }
      await sleep(50);
    }
    const result = {
      measured_at: new Date().toISOString(),
      changes: CHANGES,
      replicas,
      applied_everywhere_ms: { p50: percentile(everywhere, 50), p99: percentile(everywhere, 99) },
      per_replica_ms: Object.fromEntries(
        [...perReplica].map(([replica, values]) => [
          replica,
          { p50: percentile(values, 50), p99: percentile(values, 99) },
        ]),
      ),
      note: 'commit → applied, from the version’s changed_at to each replica’s report (ms resolution)',
    };
    console.log(JSON.stringify(result, null, 2));
    const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${outDir}config.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stack.stop();
  }
}

await main();
