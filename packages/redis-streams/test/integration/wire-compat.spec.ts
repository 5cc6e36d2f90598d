import type { RedisClient as Redis } from '../../src/connection.js';
import { StreamEventPublisher } from '../../src/stream-event-publisher.js';
import { chunkPayload } from '../support/chunk.js';
import { startConsumer, type TestConsumer } from '../support/consumer-app.js';
import { deleteByPrefix, testNamespace, testRedis, TEST_REDIS, waitFor } from '../support/redis.js';

/** Serializes like Python's json.dumps with default separators (", " and ": "). */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** What a consumer that knows only the original service's v1 format accepts. */
const PYTHON_V1_KEYS = [
  'schema_version',
  'event_id',
  'event_type',
  'source',
  'timestamp',
  'payload',
  'metadata',
];
// datetime.fromisoformat on Python 3.7+ parses this shape; 'Z' only from 3.11.
const PYTHON_ISOFORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

describe('wire compatibility with the original Python orchestration service', () => {
  let redis: Redis;
  let ns: string;
  let consumer: TestConsumer | undefined;

  beforeEach(() => {
    redis = testRedis();
    ns = testNamespace('wire');
  });
  afterEach(async () => {
    await consumer?.close();
    consumer = undefined;
    await deleteByPrefix(redis, ns);
    await redis.quit();
  });

  it('consumes an entry written exactly as the Python service writes it', async () => {
    const stream = `${ns}:ingest`;
    const payload = chunkPayload(4, 'py-session');
    const seen: unknown[] = [];
    consumer = await startConsumer(async (p) => void seen.push(p), { streams: [stream], keyPrefix: ns });
    const envelope = {
      schema_version: 'v1',
      event_id: '0b6f2b8e-3f7e-4c53-9d8e-6f3c6d0a9b21',
      event_type: 'AudioChunkReceived',
      source: 'orchestration-api',
      timestamp: '2025-10-19T18:26:48.123456+00:00',
      payload,
    };
    await redis.xadd(stream, 'MAXLEN', '~', '1000', '*', 'data', pythonJsonDumps(envelope));
    await waitFor(() => seen.length === 1, { what: 'python entry consumed' });
    expect(seen[0]).toEqual(payload);
  });

  it('writes entries a v1-only consumer can read', async () => {
    const stream = `${ns}:ingest`;
    const publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'api-gateway' });
    try {
      const payload = chunkPayload(1);
      const id = await publisher.publish('AudioChunkReceived', payload, {
        stream,
        metadata: { tenant: 'a' },
      });
      const [[entryId, fields]] = (await redis.xrange(stream, '-', '+')) as [[string, string[]]];
      expect(entryId).toBe(id);
      expect(fields.length).toBe(2);
      expect(fields[0]).toBe('data');
      const envelope = JSON.parse(fields[1]!) as Record<string, unknown>;
      for (const key of Object.keys(envelope)) expect(PYTHON_V1_KEYS).toContain(key);
      expect(envelope).toMatchObject({
        schema_version: 'v1',
        event_type: 'AudioChunkReceived',
        source: 'api-gateway',
      });
      expect(envelope.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(envelope.timestamp).toMatch(PYTHON_ISOFORMAT);
      expect(envelope.payload).toEqual(payload);
      expect(envelope.metadata).toEqual({ tenant: 'a' });
    } finally {
      await publisher.close();
    }
  });

  it('refuses to publish a payload that fails validation', async () => {
    const publisher = new StreamEventPublisher({ connection: TEST_REDIS, source: 'test' });
    try {
      const bad = { ...chunkPayload(), seq: -1 };
      await expect(publisher.publish('AudioChunkReceived', bad, { stream: `${ns}:x` })).rejects.toThrow(
        'invalid AudioChunkReceived payload: seq:',
      );
      expect(await redis.exists(`${ns}:x`)).toBe(0);
    } finally {
      await publisher.close();
    }
  });
});
