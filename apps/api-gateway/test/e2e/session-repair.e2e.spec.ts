import { SESSION_FIELDS, sessionKeys, type AudioChunkReceived } from '@livetranslate/contracts';
import { speechWav } from './support/audio-fixtures.js';
import { collectUntilComplete, Stack } from './support/stack.js';

describe('chunks lost with a dying replica are repaired after the end (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    const repair = { SESSION_REPAIR_AFTER_MS: '500' };
    stack = await Stack.start({ gatewayEnv: repair, workerEnv: repair });
  });
  afterAll(() => stack?.stop());

  it('republishes a chunk recorded but never sent, reports one never recorded as lost, and the session completes', async () => {
    const client = stack.client();
    const session = await client.createSession({ target_languages: [] });
    const id = session.session_id;
    const keys = sessionKeys(stack.ns, id);
    // What a gateway replica leaves when it dies mid-publish, as the reserve script and the
    // in-flight record write it: chunk 0 reserved and nothing more; chunk 1 reserved, its audio
    // stored and its event recorded, but never sent.
    await stack.redis.hincrby(keys.meta, SESSION_FIELDS.nextSeq, 2);
    await stack.redis.set(keys.chunkAudio(1), speechWav(['hello']), 'EX', 600);
    const chunk: AudioChunkReceived = {
      session_id: id,
      chunk_id: `${id}:1`,
      seq: 1,
      tenant_id: 'tenant-a',
      source_type: 'websocket',
      storage_uri: `redis://${keys.chunkAudio(1)}`,
      content_type: 'audio/wav',
      audio_config: { sample_rate: 16_000, channels: 1, encoding: 'wav' },
      start_ms: 0,
      duration_ms: 1_100,
      processing_flags: { transcribe: true, diarize: false, translate: false, target_languages: [] },
    };
    await stack.redis.hset(keys.meta, SESSION_FIELDS.inFlightChunk(1), JSON.stringify(chunk));

    await client.endSession(id);
    const events = await collectUntilComplete(client.events(id), [], 30_000);
    expect(events.find((e) => e.event_type === 'ProcessingFailed')?.payload).toMatchObject({
      seq: 0,
      stage: 'storage',
      error_code: 'chunk_lost',
    });
    expect(events.find((e) => e.event_type === 'TranscriptionCompleted')?.payload).toMatchObject({
      seq: 1,
      text: 'hello',
    });
    expect(events.at(-1)).toMatchObject({
      event_type: 'SessionCompleted',
      payload: { total_chunks: 2, completed_chunks: 1, failed_chunks: 1 },
    });
    // Finished chunks leave no in-flight record behind.
    expect(await stack.redis.hexists(keys.meta, SESSION_FIELDS.inFlightChunk(1))).toBe(0);
  });
});
