import { randomUUID } from 'node:crypto';
import { ENVELOPE_FIELD, type EventEnvelope } from '@livetranslate/contracts';
import { ManagedRedis } from '@livetranslate/redis-streams';
import { deleteByPrefix } from '@livetranslate/redis-streams/testing';
import { SessionEventLog } from '@livetranslate/session-store';
import { SessionLogFanout } from '../../src/delivery/session-log-fanout.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const envelope = (name: string) =>
  ({ event_id: name, event_type: 'SessionEnded', payload: {} }) as unknown as EventEnvelope;

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The fan-out's repair paths, forced on a real Redis: appends whose live publish was lost (a writer
 * crashed between the two commands) and live entries arriving out of order (writers raced). The
 * log is the source of truth: every entry reaches the subscriber once, in log order.
 */
describe('SessionLogFanout (real Redis)', () => {
  const prefix = `test:fanout:${randomUUID().slice(0, 8)}`;
  let connection: ManagedRedis;
  let log: SessionEventLog;
  let fanout: SessionLogFanout;

  beforeAll(() => {
    connection = new ManagedRedis(REDIS_URL, 'test:fanout');
    log = new SessionEventLog(connection.redis, prefix, 600, 2);
    fanout = new SessionLogFanout(connection, log);
  });
  afterAll(async () => {
    await fanout.onApplicationShutdown();
    await deleteByPrefix(connection.redis, prefix);
    await connection.onApplicationShutdown();
  });

  /** Appends to the log only, as a writer that died before its live publish would have. */
  const appendWithoutPublish = (sessionId: string, name: string) =>
    connection.redis.xadd(log.keyOf(sessionId), '*', ENVELOPE_FIELD, JSON.stringify(envelope(name)));

  const publish = (sessionId: string, id: string, previous: string, name: string) =>
    log.publishLive(sessionId, id, previous, JSON.stringify(envelope(name)));

  it('reads a gap from the log, skips what it delivered, and sweeps a lost last publish', async () => {
    const sessionId = randomUUID();
    const got: string[] = [];
    const unsubscribe = await fanout.subscribe(sessionId, '0', (entry) => got.push(entry.envelope.event_id));

    await log.append(sessionId, envelope('a'));
    await until('a', () => got.length === 1);

    // b's publish was lost; c names b as its predecessor, so b is read from the log first.
    await appendWithoutPublish(sessionId, 'b');
    await log.append(sessionId, envelope('c'));
    await until('b and c', () => got.length === 3);

    // Racing writers: f's live entry arrives before e's. The gap (e) is read from the log; e's own
    // live entry then comes too late and is dropped as already delivered.
    const d = (await log.append(sessionId, envelope('d'))) as string;
    const e = (await appendWithoutPublish(sessionId, 'e'))!;
    const f = (await appendWithoutPublish(sessionId, 'f'))!;
    await publish(sessionId, f, e, 'f');
    await publish(sessionId, e, d, 'e');
    await until('d, e and f', () => got.length === 6);

    // The last append's publish lost, and nothing follows it: the sweep of quiet sessions finds it.
    await appendWithoutPublish(sessionId, 'g');
    await until('g, from the sweep', () => got.length === 7);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    unsubscribe();
  });

  it('gives a late subscriber the log from its id, then live entries, with nothing twice', async () => {
    const sessionId = randomUUID();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) ids.push(await log.append(sessionId, envelope(name)));
    const got: string[] = [];
    const unsubscribe = await fanout.subscribe(sessionId, ids[0]!, (entry) =>
      got.push(entry.envelope.event_id),
    );
    await log.append(sessionId, envelope('d'));
    await until('d', () => got.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(got).toEqual(['b', 'c', 'd']);
    unsubscribe();
  });
});
