import type { AudioIngest, ChunkToPublish, DraftToPublish } from './audio-ingest.js';
import { LiveAudioStream } from './live-audio-stream.js';
import type { InputPeers } from './input-peers.js';
import { LiveInputs } from './live-inputs.js';

/** No other replica holds inputs. */
const LONE_REPLICA: InputPeers = {
  hold: () => undefined,
  release: () => undefined,
  flushElsewhere: async () => undefined,
  answerWith: () => undefined,
};
import { SESSION_DEFAULTS } from './session-options.js';
import type { SessionLifecycle } from './session-lifecycle.js';
import type { SessionRecord } from './session.repository.js';

const session: SessionRecord = {
  id: 's-1',
  tenantId: 'acme',
  status: 'open',
  createdAt: '2026-01-01T00:00:00.000Z',
  // 1 s chunks at 1 kHz with 200 ms overlap: 2,000 bytes a chunk.
  options: { ...SESSION_DEFAULTS, target_languages: [], chunk_ms: 1000, overlap_ms: 200, sample_rate: 1000 },
  chunks: 0,
  origin: 'client',
  timelineMs: 0,
  pendingOverlapMs: 0,
  chunksDone: 0,
  chunksFailed: 0,
};

function setup(record: SessionRecord = session, overlap: Buffer | null = null, draftIntervalMs = 0) {
  const published: ChunkToPublish[] = [];
  const drafts: DraftToPublish[] = [];
  const ended: string[] = [];
  const stored: number[] = [];
  let seq = 0;
  const ingest = {
    publish: async (_s: SessionRecord, c: ChunkToPublish) => {
      published.push(c);
      const at = published.slice(0, -1).reduce((sum, p) => sum + p.newAudioMs, 0) - c.overlapMs;
      return { seq: seq++, start_ms: at, duration_ms: c.durationMs };
    },
    draftIntervalMs,
    publishDraft: async (_s: SessionRecord, d: DraftToPublish) => void drafts.push(d),
    pendingOverlap: async (s: SessionRecord) => (s.pendingOverlapMs > 0 ? overlap : null),
  };
  const inputs = new LiveInputs(LONE_REPLICA);
  const lifecycle = {
    end: async (s: SessionRecord, reason: string) => {
      await inputs.flush(s.id);
      ended.push(reason);
      return { ...s, status: 'ended' as const };
    },
  };
  const stream = new LiveAudioStream(
    record,
    'bot',
    ingest as unknown as AudioIngest,
    inputs,
    lifecycle as unknown as SessionLifecycle,
    { onStored: (chunk) => stored.push(chunk.seq) },
  );
  return { stream, published, ended, inputs, stored, drafts };
}

const ms = (n: number) => Buffer.alloc(n * 2);

describe('LiveAudioStream', () => {
  it('sends the chunk being recorded for a draft every interval, placed where the chunk will go', async () => {
    const { stream, drafts, published } = setup(session, null, 300);
    for (let i = 0; i < 14; i++) await stream.push(ms(100)); // 1.4 s in frames of 100 ms
    expect(published.map((c) => c.durationMs)).toEqual([1000]);
    expect(drafts.map((d) => [d.seq, d.draft, d.startMs, d.durationMs])).toEqual([
      [0, 0, 0, 300],
      [0, 1, 0, 600],
      [0, 2, 0, 900],
      // After the cut: the next chunk (seq 1) starts with the repeated 200 ms, at 800 ms.
      [1, 3, 800, 500],
    ]);
    expect(setup().drafts).toEqual([]); // interval 0: no drafts
  });

  it('cuts pushed audio into overlapping chunks and publishes them as its source', async () => {
    const { stream, published } = setup();
    await stream.push(ms(1500));
    await stream.push(ms(500));
    expect(published.map((c) => [c.durationMs, c.overlapMs, c.newAudioMs])).toEqual([
      [1000, 0, 1000],
      [1000, 200, 800],
    ]);
    expect(published.every((c) => c.source === 'bot' && !c.rateLimited)).toBe(true);
  });

  it('says when each chunk is stored, in order, only after it was published', async () => {
    const { stream, stored } = setup();
    await stream.push(ms(900));
    expect(stored).toEqual([]);
    await stream.push(ms(900));
    expect(stored).toEqual([0, 1]); // 1,800 ms: two chunks of 1 s (200 ms overlap)
    await stream.flush();
    expect(stored).toEqual([0, 1, 2]);
  });

  it('turns buffered audio into a last chunk when the session is ended from elsewhere', async () => {
    const { stream, published, inputs } = setup();
    await stream.push(ms(1300));
    await inputs.flush('s-1');
    expect(published.map((c) => c.durationMs)).toEqual([1000, 500]);
  });

  it('closes by handing over: its last chunk owes its end to whoever continues, then it is detached', async () => {
    const { stream, published, inputs } = setup();
    await stream.push(ms(1300));
    await stream.close();
    expect(published.map((c) => [c.durationMs, c.overlapMs, c.trailingOverlapMs])).toEqual([
      [1000, 0, 200],
      [500, 200, 200],
    ]);
    await inputs.flush('s-1');
    expect(published).toHaveLength(2);
  });

  it('hands over when a resuming client asks for it, and has nothing more for a later end', async () => {
    const { published, inputs, stream } = setup();
    await stream.push(ms(1300));
    await inputs.flush('s-1', 'handover');
    expect(published.map((c) => c.trailingOverlapMs)).toEqual([200, 200]);
    await inputs.flush('s-1');
    expect(published).toHaveLength(2);
  });

  it('ends once: flushes, detaches, then ends the session with the reason', async () => {
    const { stream, published, ended, inputs } = setup();
    await stream.push(ms(400));
    await stream.end('stop_requested');
    expect(published.map((c) => c.durationMs)).toEqual([400]);
    expect(ended).toEqual(['stop_requested']);
    expect(stream.isEnded).toBe(true);
    await inputs.flush('s-1'); // no longer registered: nothing more
    expect(published).toHaveLength(1);
  });

  it('keeps order: audio pushed before a flush is in the chunks before the flushed tail', async () => {
    const { stream, published } = setup();
    void stream.push(ms(900));
    void stream.push(ms(300));
    await stream.flush();
    expect(published.map((c) => c.durationMs)).toEqual([1000, 400]);
  });

  it('repeats the overlap its dead predecessor owed, once, before its own audio', async () => {
    const record = { ...session, chunks: 3, timelineMs: 2600, pendingOverlapMs: 200 };
    const { stream, published } = setup(record, ms(200));
    await stream.push(ms(800));
    await stream.push(ms(800));
    expect(published.map((c) => [c.durationMs, c.overlapMs, c.newAudioMs])).toEqual([
      [1000, 200, 800],
      [1000, 200, 800],
    ]);
  });
});
