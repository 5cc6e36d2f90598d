import type { AudioDraftReceived } from '@livetranslate/contracts';
import type { ManagedRedis, StreamEventPublisher } from '@livetranslate/redis-streams';
import { loadEnv, MetricsRegistry, type DownstreamClients } from '@livetranslate/service-kit';
import type { AudioStorage, SessionEventLog } from '@livetranslate/session-store';
import { WorkerEnv } from '../config/env.js';
import { DraftTranscriber } from './draft-transcriber.js';

const draft = (n: number, seq = 0): AudioDraftReceived => ({
  session_id: 's',
  tenant_id: 't',
  seq,
  draft: n,
  storage_uri: 'redis://lt:session:{s}:draft',
  start_ms: 0,
  duration_ms: 1000,
});

/** Fakes for Redis, storage and Whisper; `waiting` is the ingest backlog, `finals` the seqs already final. */
function harness({ waiting = 0, finals = [] as number[] } = {}) {
  const sent: unknown[] = [];
  const transcribed: number[] = [];
  const redis = {
    redis: {
      call: async (command: string) =>
        command === 'XINFO'
          ? [
              [
                'name',
                'audio-pipeline',
                'consumers',
                1,
                'pending',
                0,
                'lag',
                waiting,
                'last-delivered-id',
                '0-0',
              ],
            ]
          : [0, null],
    },
  } as unknown as ManagedRedis;
  const log = {
    slotId: async (_s: string, slot: string) => (finals.some((seq) => slot === `t:${seq}`) ? '1-0' : null),
    publishDraft: async (_s: string, envelope: { payload: unknown }) => void sent.push(envelope.payload),
  } as unknown as SessionEventLog;
  const models = {
    speech: {
      transcribe: async ({ filename }: { filename: string }) => {
        transcribed.push(Number(/draft-(\d+)/.exec(filename)![1]));
        return { text: 'hello', language: 'en', segments: [{ text: 'hello' }] };
      },
    },
  } as unknown as DownstreamClients;
  const storage = { get: async () => Buffer.from('RIFF') } as unknown as AudioStorage;
  const publisher = {
    envelope: (_type: string, payload: unknown) => ({ payload }),
  } as unknown as StreamEventPublisher;
  const drafts = new DraftTranscriber(
    loadEnv(WorkerEnv, { DRAFT_SHED_LAG: '2' }),
    storage,
    models,
    log,
    publisher,
    redis,
    new MetricsRegistry(),
  );
  return { drafts, sent, transcribed };
}

describe('DraftTranscriber', () => {
  it('sends a draft of the chunk so far to the session’s clients', async () => {
    const h = harness();
    await h.drafts.process(draft(0));
    expect(h.sent).toEqual([
      { session_id: 's', seq: 0, draft: 0, text: 'hello', language: 'en', start_ms: 0, end_ms: 1000 },
    ]);
  });

  it('sheds drafts first: one older than the newest seen, one whose chunk is final, all while the ingest backlog grows', async () => {
    const ordered = harness();
    await ordered.drafts.process(draft(5));
    await ordered.drafts.process(draft(4)); // arrived late: superseded
    expect(ordered.transcribed).toEqual([5]);

    const final = harness({ finals: [0] });
    await final.drafts.process(draft(0));
    expect(final.transcribed).toEqual([]);

    const busy = harness({ waiting: 3 });
    await busy.drafts.process(draft(0));
    expect(busy.transcribed).toEqual([]);
    expect(busy.sent).toEqual([]);
  });
});
