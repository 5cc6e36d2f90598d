import { randomUUID } from 'node:crypto';
import { resolveStreamNames, SESSION_FIELDS, sessionKeys, STREAM_ENV_VARS } from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { Redis } from 'ioredis';
import { SessionCompletion } from '../../src/session-completion.js';
import { RESULT_SLOTS, SessionEventLog } from '../../src/session-event-log.js';
import { SessionResults } from '../../src/session-results.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { protocol: 2 });
const prefix = `test:completion:${randomUUID().slice(0, 8)}`;
const publisher = new StreamEventPublisher({
  connection: redis,
  source: 'test',
  streams: resolveStreamNames({ [STREAM_ENV_VARS.audioResults]: `${prefix}:results` }),
});
const log = new SessionEventLog(redis, prefix, 60);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** A session record as the gateway keeps it: `chunks` accepted, input still open. */
async function openSession(chunks: number): Promise<string> {
  const id = randomUUID();
  await redis.hset(sessionKeys(prefix, id).meta, {
    tenant: 't',
    [SESSION_FIELDS.status]: 'open',
    [SESSION_FIELDS.nextSeq]: chunks,
    [SESSION_FIELDS.timelineMs]: chunks * 3000,
  });
  await redis.expire(sessionKeys(prefix, id).meta, 60);
  return id;
}

const results = new SessionResults(log, publisher, 'test');
const completion = new SessionCompletion(redis, prefix, results);

/** Closes the input as the gateway does: the record first, then SessionEnded in the log. */
async function endInput(id: string, chunks?: number): Promise<void> {
  await closeInput(id);
  await writeEnded(id, chunks);
}
const closeInput = (id: string) => redis.hset(sessionKeys(prefix, id).meta, SESSION_FIELDS.status, 'ended');
async function writeEnded(id: string, chunks = 0): Promise<void> {
  await results.write(id, RESULT_SLOTS.ended, 'SessionEnded', {
    session_id: id,
    total_chunks: chunks,
    reason: 'test',
  });
}

async function completions(id: string) {
  return (await log.all(id)).filter((e) => e.envelope.event_type === 'SessionCompleted');
}

describe('SessionCompletion (real Redis)', () => {
  it('completes only when the input ended and every chunk finished, with totals', async () => {
    const id = await openSession(3);
    expect(await completion.settle(id, { seq: 0, failed: false })).toBeNull();
    expect(await completion.settle(id, { seq: 1, failed: true })).toBeNull();
    await endInput(id);
    expect(await completion.settle(id)).toBeNull(); // chunk 2 is still running
    // A redelivered chunk counts once.
    expect(await completion.settle(id, { seq: 1, failed: true })).toBeNull();
    const done = await completion.settle(id, { seq: 2, failed: false });
    expect(done).toEqual({
      session_id: id,
      total_chunks: 3,
      completed_chunks: 2,
      failed_chunks: 1,
      audio_ms: 9000,
    });
    expect(await completions(id)).toHaveLength(1);
    // Later calls (a retry, a late duplicate) find it written already.
    expect(await completion.settle(id, { seq: 2, failed: false })).toBeNull();
    expect(await completion.settle(id)).toBeNull();
    expect(await completions(id)).toHaveLength(1);
  });

  it('completes a session that ended without any chunk at once', async () => {
    const id = await openSession(0);
    await endInput(id);
    expect(await completion.settle(id)).toMatchObject({ total_chunks: 0, completed_chunks: 0 });
    expect(await completions(id)).toHaveLength(1);
  });

  it('writes exactly one SessionCompleted when the last result races the end of input', async () => {
    for (let round = 0; round < 40; round++) {
      const id = await openSession(2);
      await completion.settle(id, { seq: 0, failed: false });
      const [byEnd, byChunk] = await Promise.all([
        endInput(id).then(() => completion.settle(id)),
        completion.settle(id, { seq: 1, failed: false }),
      ]);
      // Whichever came second found the session due; both may have, if they ran back to back.
      expect(byEnd ?? byChunk).toMatchObject({ total_chunks: 2, completed_chunks: 2, failed_chunks: 0 });
      expect(await completions(id)).toHaveLength(1);
    }
  });

  it('waits for SessionEnded: a last chunk finishing between the close of input and its event does not complete the session', async () => {
    const id = await openSession(1);
    await closeInput(id);
    expect(await completion.settle(id, { seq: 0, failed: false })).toBeNull();
    await writeEnded(id, 1);
    expect(await completion.settle(id)).toMatchObject({ total_chunks: 1, completed_chunks: 1 });
    const types = (await log.all(id)).map((e) => e.envelope.event_type);
    expect(types).toEqual(['SessionEnded', 'SessionCompleted']);
  });

  it('records a chunk finished with its last result in one step, and completes the session after that result', async () => {
    const id = await openSession(2);
    const failure = (seq: number) => ({
      session_id: id,
      chunk_id: `${id}:${seq}`,
      seq,
      stage: 'transcription' as const,
      error_code: 'http_503',
      message: 'down',
      attempts: 1,
    });
    const last = (seq: number, failed: boolean) =>
      completion.writeLast(id, RESULT_SLOTS.failure(seq, 'transcription'), 'ProcessingFailed', failure(seq), {
        seq,
        failed,
      });
    expect(await last(0, true)).toBeNull(); // the input is still open
    await endInput(id, 2);
    expect(await completion.settle(id)).toBeNull(); // chunk 1 is still running
    expect(await last(1, false)).toEqual({
      session_id: id,
      total_chunks: 2,
      completed_chunks: 1,
      failed_chunks: 1,
      audio_ms: 6000,
    });
    // A redelivery of the last chunk writes neither its result nor the completion again.
    expect(await last(1, false)).toBeNull();
    const types = (await log.all(id)).map((e) => e.envelope.event_type);
    expect(types).toEqual(['ProcessingFailed', 'SessionEnded', 'ProcessingFailed', 'SessionCompleted']);
    expect(await redis.hget(sessionKeys(prefix, id).meta, SESSION_FIELDS.chunksDone)).toBe('2');
  });

  it('records nothing for a session whose record is gone', async () => {
    const id = randomUUID();
    expect(await completion.settle(id, { seq: 0, failed: false })).toBeNull();
    expect(await redis.exists(sessionKeys(prefix, id).results)).toBe(0);
    expect(
      await completion.writeLast(
        id,
        RESULT_SLOTS.transcription(0),
        'SessionEnded',
        { session_id: id, total_chunks: 0, reason: 'test' },
        { seq: 0, failed: false },
      ),
    ).toBeNull();
    expect(await redis.hexists(sessionKeys(prefix, id).results, 'd:0')).toBe(0);
  });
});
