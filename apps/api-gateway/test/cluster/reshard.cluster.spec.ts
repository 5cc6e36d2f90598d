import { partitionedStreams, type SessionEvent } from '@livetranslate/contracts';
import { slotOf } from '@livetranslate/redis-streams';
import { moveSlot } from '@livetranslate/redis-streams/testing';
import { Cluster } from 'ioredis';
import { frames, RATE, SENTENCE, speechPcm, speechWav } from '../e2e/support/audio-fixtures.js';
import { collectUntilComplete, Stack } from '../e2e/support/stack.js';

const of = <P>(events: SessionEvent[], type: string) =>
  events.filter((e) => e.event_type === type).map((e) => e.payload as P);

/**
 * Only in the cluster suite (jest.cluster.config.js starts the cluster): the apps' keys really are
 * spread over the masters, and the slot holding a live session (its log, record, results and
 * audio) moves to another master while the session streams, with nothing lost or repeated.
 */
describe('on a 3-master Redis Cluster', () => {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES!;
  let stack: Stack;

  beforeAll(async () => {
    expect(nodes).toBeTruthy();
    stack = await Stack.start({ gateways: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("moves a live session's slot mid-stream: every chunk's results once, every word in order", async () => {
    expect(stack.redis).toBeInstanceOf(Cluster);
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'], chunk_ms: 2000, overlap_ms: 500 });
    const slot = slotOf(session.session_id);
    const owner = (stack.redis as Cluster).slots[slot]![0]!;
    const target = nodes.split(',').find((node) => node !== owner)!;

    const connection = await client.streamAudio(session.session_id, frames(speechPcm()), {
      paced: true,
      sampleRate: RATE,
      end: true,
    });
    let moved: Promise<void> | undefined;
    const events = await collectUntilComplete(connection.events(), ['es'], 120_000, (event) => {
      // After the first result the session's keys exist and more audio is on its way: move them.
      if (!moved && event.event_type === 'TranscriptionCompleted')
        moved = moveSlot(nodes, slot, Number(target.split(':')[1]));
    });
    connection.close();
    await moved;

    const { total_chunks: total } = of<{ total_chunks: number }>(events, 'SessionEnded')[0]!;
    const transcriptions = of<{ seq: number; segments: Array<{ text: string }> }>(
      events,
      'TranscriptionCompleted',
    );
    expect(transcriptions.map((t) => t.seq)).toEqual([...Array(total).keys()]);
    expect(transcriptions.flatMap((t) => t.segments.map((s) => s.text))).toEqual(SENTENCE);
    expect(of<{ seq: number }>(events, 'TranslationCompleted').map((t) => t.seq)).toEqual([
      ...Array(total).keys(),
    ]);
    // The slot now lives on the other master, and the session reads back whole from there.
    await (stack.redis as Cluster).refreshSlotsCache();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((stack.redis as Cluster).slots[slot]![0]).toBe(target);
    const transcript = await stack.client(1).transcript(session.session_id);
    expect(transcript.complete).toBe(true);
  });

  it("spreads the apps' keys over every master", async () => {
    const holding = await Promise.all(
      (stack.redis as Cluster).nodes('master').map(async (node) => {
        const [, keys] = await node.scan('0', 'MATCH', `${stack.ns}*`, 'COUNT', 10_000);
        return keys.length;
      }),
    );
    expect(holding.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('partitions the ingest: the workers read every partition, and sessions land on their own', async () => {
    const partitions = Number(process.env.TEST_AUDIO_INGEST_PARTITIONS);
    expect(partitions).toBeGreaterThan(1);
    const streams = partitionedStreams(`${stack.ns}:audio-ingest`, partitions);
    for (const stream of streams) {
      const groups = (await stack.redis.xinfo('GROUPS', stream)) as unknown[][];
      expect(groups.map((g) => g[1])).toContain('audio-pipeline');
    }
    // A session's chunks are all on its partition, whichever gateway took them.
    const client = stack.client();
    const session = await client.createSession({ target_languages: [] });
    await client.sendChunk(session.session_id, speechWav(['hello', 'world']));
    await stack.client(1).sendChunk(session.session_id, speechWav(['good', 'morning']));
    const ownStream = stack.ingestStreamOf(session.session_id);
    const mine = async (stream: string) =>
      (await stack.redis.xrange(stream, '-', '+')).filter(([, fields]) =>
        fields[1]!.includes(session.session_id),
      ).length;
    for (const stream of streams) expect(await mine(stream)).toBe(stream === ownStream ? 2 : 0);
  });
});
