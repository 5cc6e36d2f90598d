import { randomUUID } from 'node:crypto';
import { pcm16ToWav } from '@livetranslate/audio';
import { ManagedRedis, StreamEventPublisher } from '@livetranslate/redis-streams';
import { deleteByPrefix } from '@livetranslate/redis-streams/testing';
import { MetricsRegistry, type ConfigFollower } from '@livetranslate/service-kit';
import { RedisAudioStorage } from '@livetranslate/session-store';
import { AudioIngest } from '../../src/audio-ingest.js';
import { IngestMetrics } from '../../src/ingest-metrics.js';
import type { IngestSettings } from '../../src/ingest-settings.js';
import { SESSION_DEFAULTS } from '../../src/session-options.js';
import { SessionRepository } from '../../src/session.repository.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:ingest:${randomUUID().slice(0, 8)}`;
const settings: IngestSettings = {
  keyPrefix: prefix,
  sessionTtlSeconds: 60,
  audioTtlSeconds: 60,
  ingestStream: `${prefix}:audio-ingest`,
  ingestPartitions: 1,
  draftStream: `${prefix}:audio-drafts`,
  draftIntervalMs: 0,
  repairAfterMs: 60_000,
};
const RATE = 16_000;

/** A session repository where another chunk is reserved just before the pending overlap's own. */
class RacedRepository extends SessionRepository {
  override async reserveChunk(id: string, newAudioMs: number, trailingOverlapMs = 0, expectedSeq?: number) {
    if (expectedSeq !== undefined) await super.reserveChunk(id, 1_000);
    return super.reserveChunk(id, newAudioMs, trailingOverlapMs, expectedSeq);
  }
}

const connection = new ManagedRedis(REDIS_URL, 'ingest-test');
const publisher = new StreamEventPublisher({ connection: connection.redis, source: 'ingest-test' });
const metrics = new IngestMetrics(new MetricsRegistry());
const storage = new RedisAudioStorage(connection.redis, prefix);
// Chunks that are not client-paced never consult the configured rate limits.
const config = {} as ConfigFollower;

function ingestWith(sessions: SessionRepository): AudioIngest {
  return new AudioIngest(settings, storage, sessions, publisher, metrics, connection, config);
}

/** A session whose first chunk (one second) owes its last half second to a next chunk. */
async function sessionOwingOverlap(sessions: SessionRepository, ingest: AudioIngest) {
  const id = randomUUID();
  await sessions.create(id, 'tenant', { ...SESSION_DEFAULTS }, 'client', 100);
  const pcm = Buffer.alloc(RATE * 2);
  for (let i = 0; i < RATE; i++) pcm.writeInt16LE(i % 1000, i * 2);
  await ingest.publish((await sessions.get(id))!, {
    wav: pcm16ToWav(pcm, RATE),
    sampleRate: RATE,
    channels: 1,
    durationMs: 1_000,
    overlapMs: 0,
    trailingOverlapMs: 500,
    newAudioMs: 1_000,
    source: 'websocket',
    rateLimited: false,
  });
  return (await sessions.get(id))!;
}

async function publishedSeqs(sessionId: string): Promise<number[]> {
  const rows = await connection.redis.xrange(settings.ingestStream, '-', '+');
  return rows
    .map(([, fields]) => JSON.parse(fields[1]!) as { payload: { session_id: string; seq: number } })
    .filter((e) => e.payload.session_id === sessionId)
    .map((e) => e.payload.seq);
}

afterAll(async () => {
  await deleteByPrefix(connection.redis, prefix);
  await connection.onApplicationShutdown();
});

describe('the overlap owed when a live input goes away (real Redis)', () => {
  it('becomes the last chunk: the half second the next chunk would have repeated', async () => {
    const sessions = new SessionRepository(connection, settings);
    const ingest = ingestWith(sessions);
    const session = await sessionOwingOverlap(sessions, ingest);
    expect(session.pendingOverlapMs).toBe(500);
    expect(await ingest.publishPendingOverlap(session)).toBe(true);
    expect(await publishedSeqs(session.id)).toEqual([0, 1]);
    const stored = await storage.getChunk(session.id, 1);
    expect(stored!.length).toBe(44 + RATE); // a WAV header and 500 ms of 16-bit mono
  });

  it('is not published when another chunk took its place meanwhile', async () => {
    const sessions = new RacedRepository(connection, settings);
    const ingest = ingestWith(sessions);
    const session = await sessionOwingOverlap(sessions, ingest);
    expect(await ingest.publishPendingOverlap(session)).toBe(false);
    // Only the first chunk was published; the competitor reserved seq 1 and the overlap nothing.
    expect(await publishedSeqs(session.id)).toEqual([0]);
    expect((await sessions.get(session.id))!.chunks).toBe(2);
    expect(await storage.getChunk(session.id, 2)).toBeNull();
  });
});
