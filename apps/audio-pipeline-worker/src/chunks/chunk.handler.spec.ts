import type { AudioChunkReceived } from '@livetranslate/contracts';
import type { RedisStreamsContext } from '@livetranslate/redis-streams';
import { loadEnv } from '@livetranslate/service-kit';
import { WorkerEnv } from '../config/env.js';
import type { ChunkPipeline } from './chunk-pipeline.service.js';
import { ChunkHandler } from './chunk.handler.js';

const chunk = { session_id: 's', seq: 3 } as AudioChunkReceived;

function harness(deliveries: number) {
  const gaveUp: Array<{ seq: number; deliveries: number }> = [];
  const pipeline = {
    process: async () => {
      throw new Error('Connection is closed.');
    },
    giveUp: async (c: AudioChunkReceived, _error: unknown, n: number) =>
      void gaveUp.push({ seq: c.seq, deliveries: n }),
  } as unknown as ChunkPipeline;
  const ctx = {
    getEnvelope: () => ({ timestamp: new Date().toISOString() }),
    getDeliveries: () => deliveries,
  } as unknown as RedisStreamsContext;
  const handler = new ChunkHandler(pipeline, loadEnv(WorkerEnv, { WORKER_MAX_DELIVERIES: '5' }));
  return { run: () => handler.handle(chunk, ctx), gaveUp };
}

describe('ChunkHandler', () => {
  it('lets a failing delivery be retried, and on the last one tells the session before the chunk is dead-lettered', async () => {
    const early = harness(4);
    await expect(early.run()).rejects.toThrow('Connection is closed.');
    expect(early.gaveUp).toEqual([]);
    const last = harness(5);
    await expect(last.run()).rejects.toThrow('Connection is closed.');
    expect(last.gaveUp).toEqual([{ seq: 3, deliveries: 5 }]);
  });
});
