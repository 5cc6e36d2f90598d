import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@livetranslate/contracts';
import { Redis } from 'ioredis';
import { RedisAudioStorage } from '../../src/audio-storage.js';
import { RESULT_SLOTS, SessionEventLog } from '../../src/session-event-log.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { protocol: 2 });
const prefix = `test:store:${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function transcription(sessionId: string, seq: number, text: string) {
  return createEnvelope(
    'TranscriptionCompleted',
    {
      session_id: sessionId,
      chunk_id: `${sessionId}:${seq}`,
      seq,
      text,
      language: 'en',
      confidence: 1,
      segments: [],
      model: 'm',
      timings: { queued_ms: 0, whisper_ms: 0 },
    },
    { source: 'test' },
  );
}

describe('SessionEventLog (real Redis)', () => {
  const log = new SessionEventLog(redis, prefix, 60);

  it('appends a result slot once, even when many writers race', async () => {
    const session = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.appendOnce(session, RESULT_SLOTS.transcription(0), transcription(session, 0, `copy ${i}`)),
      ),
    );
    expect(results.filter((r) => r.appended)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const entries = await log.all(session);
    expect(entries).toHaveLength(1);
    expect((await log.slotEntry(session, RESULT_SLOTS.transcription(0)))!.id).toBe(entries[0]!.id);
    expect(await log.slotEntry(session, RESULT_SLOTS.transcription(1))).toBeNull();
    expect(await redis.ttl(log.keyOf(session))).toBeGreaterThan(0);
  });

  it('appends ordered events beside slotted results, resumable by id, with the log TTL', async () => {
    const session = randomUUID();
    const first = await log.appendOnce(
      session,
      RESULT_SLOTS.transcription(0),
      transcription(session, 0, 'a'),
    );
    const ended = createEnvelope(
      'SessionEnded',
      { session_id: session, total_chunks: 1, reason: 'x' },
      { source: 'test' },
    );
    // Ordered appends have no slot: the same kind of event twice is two entries.
    const second = await log.append(session, ended);
    const third = await log.append(session, ended);
    expect(new Set([first.id, second, third]).size).toBe(3);
    const after = await log.after(session, first.id);
    expect(after.map((e) => e.id)).toEqual([second, third]);
    expect(after[0]!.envelope.event_type).toBe('SessionEnded');
    const ttl = await redis.ttl(log.keyOf(session));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('reads after an id, exclusively, across pages', async () => {
    const session = randomUUID();
    for (let seq = 0; seq < 1203; seq++)
      await log.appendOnce(session, RESULT_SLOTS.transcription(seq), transcription(session, seq, `t${seq}`));
    const all = await log.all(session);
    expect(all.map((e) => (e.envelope.payload as { seq: number }).seq)).toEqual([...Array(1203).keys()]);
    const after = await log.after(session, all[1199]!.id);
    expect(after.map((e) => e.id)).toEqual(all.slice(1200).map((e) => e.id));
    expect(await log.after(session, all[1202]!.id)).toEqual([]);
  });
});

describe('RedisAudioStorage (real Redis)', () => {
  const storage = new RedisAudioStorage(redis, prefix);

  it('stores bytes under a URI with a TTL and returns them intact', async () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const uri = await storage.put('s-1', 3, bytes, 30);
    expect(uri).toBe(`redis://${prefix}:session:{s-1}:audio:3`);
    expect((await storage.get(uri))!.equals(bytes)).toBe(true);
    expect(await redis.ttl(uri.slice('redis://'.length))).toBeGreaterThan(0);
  });

  it('returns null for audio that is gone, and refuses foreign URIs', async () => {
    expect(await storage.get(`redis://${prefix}:session:{nope}:audio:0`)).toBeNull();
    await expect(storage.get('s3://bucket/key')).rejects.toThrow('unsupported storage URI');
    await expect(storage.get('redis://other-prefix:session:{x}:audio:0')).rejects.toThrow('outside');
  });
});
