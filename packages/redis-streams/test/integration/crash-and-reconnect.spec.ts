import type { ChildProcess } from 'node:child_process';
import type { RedisClient as Redis } from '../../src/connection.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { chunkPayload } from '../support/chunk.js';
import { startConsumer, type TestConsumer } from '../support/consumer-app.js';
import { freePort, spawnConsumerProcess, startPrivateRedis, stopProcess } from '../support/processes.js';
import {
  deleteByPrefix,
  pendingCount,
  testNamespace,
  testRedis,
  TEST_REDIS,
  TEST_REDIS_URL,
  waitFor,
} from '../support/redis.js';

describe('crashes and outages', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) await stopProcess(child, 'SIGKILL');
  });

  it('finishes the entry of a consumer SIGKILLed mid-handler on another consumer, exactly once', async () => {
    const redis: Redis = testRedis();
    const ns = testNamespace('sigkill');
    const stream = `${ns}:ingest`;
    const publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'test' });
    const common = {
      STREAM: stream,
      GROUP_NAME: 'workers',
      KEY_PREFIX: ns,
      RECLAIM_IDLE_MS: '800',
      REDIS_URL: TEST_REDIS_URL,
    };
    try {
      const doomed = await spawnConsumerProcess({
        ...common,
        CONSUMER_NAME: 'doomed',
        HANDLER_DELAY_MS: '60000',
      });
      children.push(doomed);
      await publisher.publish('AudioChunkReceived', chunkPayload(), { stream, eventId: 'evt-killed' });
      await waitFor(async () => (await redis.lrange(`${ns}:started`, 0, -1)).includes('doomed:evt-killed'), {
        what: 'handler started on the doomed consumer',
      });
      await stopProcess(doomed, 'SIGKILL');

      const survivor = await spawnConsumerProcess({
        ...common,
        CONSUMER_NAME: 'survivor',
        HANDLER_DELAY_MS: '0',
      });
      children.push(survivor);
      await waitFor(async () => (await redis.hget(`${ns}:effects`, 'evt-killed')) === '1', {
        what: 'effect on survivor',
      });
      await waitFor(async () => (await pendingCount(redis, stream, 'workers')) === 0, {
        what: 'entry acked',
      });
      // Give any stray redelivery time to show itself before asserting "exactly once".
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await redis.hget(`${ns}:effects`, 'evt-killed')).toBe('1');
      expect(await redis.lrange(`${ns}:started`, 0, -1)).toEqual([
        'doomed:evt-killed',
        'survivor:evt-killed',
      ]);
    } finally {
      await publisher.close();
      await deleteByPrefix(redis, ns);
      await redis.quit();
    }
  });

  it('recovers its own pending entries at once when restarted under the same name', async () => {
    const redis: Redis = testRedis();
    const ns = testNamespace('restart');
    const stream = `${ns}:ingest`;
    const publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'test' });
    // Reclaim is far off: only recovery of the consumer's own pending entries can finish this in time.
    const common = {
      STREAM: stream,
      GROUP_NAME: 'workers',
      KEY_PREFIX: ns,
      RECLAIM_IDLE_MS: '600000',
      REDIS_URL: TEST_REDIS_URL,
    };
    try {
      const first = await spawnConsumerProcess({
        ...common,
        CONSUMER_NAME: 'pod-0',
        HANDLER_DELAY_MS: '60000',
      });
      children.push(first);
      await publisher.publish('AudioChunkReceived', chunkPayload(), { stream, eventId: 'evt-restart' });
      await waitFor(async () => (await redis.llen(`${ns}:started`)) === 1, { what: 'handler started' });
      await stopProcess(first, 'SIGKILL');
      // The killed handler's entry still holds the event's claim; the same pod recovers it and goes on.
      const again = await spawnConsumerProcess({ ...common, CONSUMER_NAME: 'pod-0', HANDLER_DELAY_MS: '0' });
      children.push(again);
      await waitFor(async () => (await redis.hget(`${ns}:effects`, 'evt-restart')) === '1', {
        what: 'restarted pod finishes its own entry',
        timeoutMs: 10_000,
      });
    } finally {
      await publisher.close();
      await deleteByPrefix(redis, ns);
      await redis.quit();
    }
  });

  it('resumes by itself after Redis goes away and comes back', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redisServer = await startPrivateRedis(port);
    children.push(redisServer);
    const publisher = new StreamEventPublisher({ connection: url, source: 'test' });
    const seen: number[] = [];
    let consumer: TestConsumer | undefined;
    try {
      consumer = await startConsumer(async (p) => void seen.push(p.seq), {
        streams: ['stream:outage'],
        keyPrefix: 'outage',
        connection: url,
      });
      await publisher.publish('AudioChunkReceived', chunkPayload(1), { stream: 'stream:outage' });
      await waitFor(() => seen.includes(1), { what: 'first event' });

      await stopProcess(redisServer, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 1_000));
      redisServer = await startPrivateRedis(port);
      children.push(redisServer);

      // The restarted server is empty: the consumer must recreate its group and carry on.
      await publisher.publish('AudioChunkReceived', chunkPayload(2), { stream: 'stream:outage' });
      await waitFor(() => seen.includes(2), { what: 'event after the outage', timeoutMs: 20_000 });
      // …and acked on the new server (the counter moves after the ack, not when the handler returns).
      await waitFor(() => consumer!.metrics.get('handled') >= 2, { what: 'ack after the outage' });
      expect(seen.filter((seq) => seq === 2)).toHaveLength(1);
    } finally {
      await consumer?.close();
      await publisher.close();
    }
  });
});
