import type { RedisClient } from '../connection.js';

/** What the machine charges, in µs of the caller's CPU, for the steps every event repeats. */
export interface MachineCosts {
  /** One Redis command awaited on its own (a PING): a socket write, a sleep and a wake-up. */
  redis_round_trip_cpu_us: number;
  /** One idle wake-up of the event loop (a 1 ms timer), with no I/O at all. */
  timer_wake_cpu_us: number;
}

/** The middle value (the upper one of an even count): what the benches report of repeated runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU per step, the median of five batches: one batch disturbed by the rest of the machine does not count. */
async function cpuMicrosPer(times: number, step: () => Promise<unknown>): Promise<number> {
  const perBatch = Math.max(1, Math.round(times / 5));
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch++) {
    const before = process.cpuUsage();
    for (let i = 0; i < perBatch; i++) await step();
    const used = process.cpuUsage(before);
    batches.push((used.user + used.system) / perBatch);
  }
  return median(batches);
}

/**
 * Measures the two costs that every figure built from round trips is a multiple of. They vary far
 * more between machines than the code does (a virtualised kernel that traps each syscall and
 * interrupt charges several times what bare metal does), so the benches print them beside their
 * own figures: runs on two machines compare once divided by these.
 */
export async function measureMachineCosts(redis: RedisClient, rounds = 2_000): Promise<MachineCosts> {
  await cpuMicrosPer(rounds, () => redis.ping()); // warm-up: JIT, connection, caches
  const roundTrip = await cpuMicrosPer(rounds, () => redis.ping());
  const wake = await cpuMicrosPer(
    Math.max(50, rounds / 4),
    () => new Promise((resolve) => setTimeout(resolve, 1)),
  );
  return {
    redis_round_trip_cpu_us: Number(roundTrip.toFixed(1)),
    timer_wake_cpu_us: Number(wake.toFixed(1)),
  };
}

export function describeMachineCosts(costs: MachineCosts): string {
  return (
    `machine: an awaited Redis round trip costs ${costs.redis_round_trip_cpu_us} µs of CPU here, ` +
    `an idle 1 ms timer wake ${costs.timer_wake_cpu_us} µs`
  );
}
