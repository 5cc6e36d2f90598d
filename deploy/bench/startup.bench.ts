/**
 * What each app costs to start, from its bundle (dist/main.bundle.js, what images and tests run)
 * against the baseline of the same build unbundled (dist/main.js, tsc's output), in the same run:
 * CPU seconds the process spent and wall seconds until its /healthz answered. Rounds alternate the
 * two so a busy moment of the machine hits both. Prints a table and writes bench/results/startup.json
 * at the repository root. Never fails on a timing.
 *
 *   BENCH_ROUNDS (default 3), REDIS_URL
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { deleteByPrefix, median } from '@livetranslate/redis-streams/testing';
import { APP_ENTRY, processCpuMs, startAppProcess } from '@livetranslate/service-kit/testing';
import { APPS } from '../src/catalogue.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const prefix = `bench:startup:${randomUUID().slice(0, 8)}`;

const VARIANTS = { unbundled: 'dist/main.js', bundle: APP_ENTRY } as const;
type Variant = keyof typeof VARIANTS;

async function startOnce(app: string, variant: Variant): Promise<{ cpu: number; wall: number }> {
  const started = performance.now();
  const launched = await startAppProcess(`${repo}apps/${app}/${VARIANTS[variant]}`, {
    REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}:${app}`,
    API_KEYS: 'startup-bench-key-of-at-least-32-characters:bench:admin',
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = processCpuMs(launched.child.pid!) / 1000;
  await launched.stop('SIGKILL');
  return { cpu, wall };
}

async function main(): Promise<void> {
  process.stdout.write(
    `startup benchmark: each app to a healthy /healthz, bundle vs unbundled, ${ROUNDS} rounds\n`,
  );
  const figures: Record<string, Record<Variant, { cpu: number[]; wall: number[] }>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name } of APPS) {
      figures[name] ??= { unbundled: { cpu: [], wall: [] }, bundle: { cpu: [], wall: [] } };
      const order: Variant[] = round % 2 === 0 ? ['unbundled', 'bundle'] : ['bundle', 'unbundled'];
      for (const variant of order) {
        const { cpu, wall } = await startOnce(name, variant);
        figures[name]![variant].cpu.push(cpu);
        figures[name]![variant].wall.push(wall);
      }
    }
  }
  const apps: Record<string, unknown> = {};
  process.stdout.write(
    `  ${'app'.padEnd(24)} ${'CPU s unbundled'.padStart(16)} ${'bundle'.padStart(8)} ${'ratio'.padStart(6)}` +
      ` ${'wall s unbundled'.padStart(17)} ${'bundle'.padStart(8)}\n`,
  );
  for (const [name, f] of Object.entries(figures)) {
    const cpu = { unbundled: median(f.unbundled.cpu), bundle: median(f.bundle.cpu) };
    const wall = { unbundled: median(f.unbundled.wall), bundle: median(f.bundle.wall) };
    const ratio = cpu.bundle / cpu.unbundled;
    apps[name] = {
      cpu_seconds: { unbundled: round2(cpu.unbundled), bundle: round2(cpu.bundle) },
      wall_seconds: { unbundled: round2(wall.unbundled), bundle: round2(wall.bundle) },
      bundle_vs_unbundled_cpu: round2(ratio),
    };
    process.stdout.write(
      `  ${name.padEnd(24)} ${cpu.unbundled.toFixed(2).padStart(16)} ${cpu.bundle.toFixed(2).padStart(8)}` +
        ` ${ratio.toFixed(2).padStart(6)} ${wall.unbundled.toFixed(2).padStart(17)} ${wall.bundle.toFixed(2).padStart(8)}\n`,
    );
  }
  const result = { measured_at: new Date().toISOString(), rounds: ROUNDS, apps };
  const outDir = `${repo}bench/results/`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}startup.json`, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`  wrote ${outDir}startup.json\n`);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

try {
  await main();
} finally {
  // What the apps registered under the bench's prefix (service registrations, configuration).
  const redis = new Redis(REDIS_URL);
  await deleteByPrefix(redis, prefix);
  await redis.quit();
}
