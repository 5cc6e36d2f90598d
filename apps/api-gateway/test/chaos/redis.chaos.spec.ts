import { startRedisServer, type RedisServer } from '@livetranslate/service-kit/testing';
import { speechWav } from '../e2e/support/audio-fixtures.js';
import { completeTranscript, Stack } from '../e2e/support/stack.js';
import { FULL, record } from './support/figures.js';
import { ChunkLoad, sleep } from './support/load.js';

const PERSISTENCE = {
  aof: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
  none: ['--appendonly', 'no', '--save', ''],
};

interface Case {
  scenario: string;
  persistence: keyof typeof PERSISTENCE;
  /** SIGTERM: Redis shuts down cleanly; SIGKILL: it crashes. */
  signal: NodeJS.Signals;
}

/**
 * Streams into a stack on a private Redis, restarts that Redis mid-stream on the same port and
 * directory, and reports what the clients saw. Then checks the system took new work by itself.
 */
async function restartMidStream({ scenario, persistence, signal }: Case) {
  const args = PERSISTENCE[persistence];
  let redis: RedisServer = await startRedisServer({ args });
  const stack = await Stack.start({ redisUrl: redis.url, workerEnv: { WORKER_RECLAIM_IDLE_MS: '2000' } });
  try {
    const options = { sessions: FULL ? 10 : 3, chunksPerSession: FULL ? 40 : 12, intervalMs: 250 };
    const load = await ChunkLoad.start(stack, { ...options, retryForMs: 30_000 });
    while (load.acknowledged < options.sessions * options.chunksPerSession * 0.4) await sleep(50);
    const ackedBefore = load.acknowledged;
    await redis.stop(signal);
    redis = await startRedisServer({ port: redis.port, dir: redis.dir, args });
    const figures = await load.finish(persistence === 'none' ? 20_000 : 120_000);

    // Recovery without manual steps: a new session goes through on the same processes.
    const client = stack.client();
    const fresh = await client.createSession({ target_languages: ['es'] });
    await client.sendChunk(fresh.session_id, speechWav(['good', 'morning']));
    await client.endSession(fresh.session_id);
    const transcript = await completeTranscript(client, fresh.session_id, 60_000);
    const refusals = new Set(load.refusals);
    record({
      scenario,
      ...figures,
      note: `${ackedBefore} acknowledged before the restart; ${refusals.size ? `clients told ${[...refusals].join(', ')}; ` : ''}recovered: ${transcript.complete && transcript.text === 'good morning'}`,
    });
    return { figures, ackedBefore, recovered: transcript.complete && transcript.text === 'good morning' };
  } finally {
    await stack.stop();
    await redis.stop('SIGKILL');
  }
}

describe('fault suite: Redis restarted mid-stream', () => {
  it('with AOF and a clean restart, nothing the gateway acknowledged is lost', async () => {
    const { figures, recovered } = await restartMidStream({
      scenario: 'Redis restarted cleanly (AOF)',
      persistence: 'aof',
      signal: 'SIGTERM',
    });
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, deadLettered: 0 });
    expect(recovered).toBe(true);
  });

  it('with appendfsync everysec and Redis SIGKILLed, at most about a second of writes goes, and it is reported', async () => {
    const { figures, recovered } = await restartMidStream({
      scenario: 'Redis SIGKILLed (AOF, fsync every second)',
      persistence: 'aof',
      signal: 'SIGKILL',
    });
    // At 4 chunks a second per 3 sessions, a second of writes is about 12 chunks (FULL: 40).
    expect(figures.lost).toBeLessThanOrEqual(FULL ? 60 : 20);
    expect(recovered).toBe(true);
  });

  it('without persistence the loss is reported and the system recovers by itself', async () => {
    const { figures, recovered } = await restartMidStream({
      scenario: 'Redis restarted empty (no persistence)',
      persistence: 'none',
      signal: 'SIGKILL',
    });
    expect(figures.sent).toBeGreaterThan(0);
    expect(recovered).toBe(true);
  });
});
