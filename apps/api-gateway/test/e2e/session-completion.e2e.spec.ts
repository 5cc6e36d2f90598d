import type { SessionEvent } from '@livetranslate/contracts';
import { frames, SENTENCE, speechPcm, speechWav } from './support/audio-fixtures.js';
import { runLt, startLt, wavFile } from './support/cli.js';
import { Stack, TENANT_A_KEY, until } from './support/stack.js';

const WORDS = SENTENCE.slice(0, 6);

async function all<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const completedOf = (events: SessionEvent[]) => events.filter((e) => e.event_type === 'SessionCompleted');

describe('a session that says when it is done (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('WebSocket: SessionCompleted comes last, once, with totals, and the socket closes with 1000', async () => {
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'], chunk_ms: 1000, overlap_ms: 0 });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm(WORDS)), { end: true });
    // Not broken out of: the iterator ends by itself when the server closes the socket.
    const events = await all(connection.events());
    expect(await connection.closed).toEqual({ code: 1000, reason: 'session completed' });
    const last = events[events.length - 1]!;
    expect(last.event_type).toBe('SessionCompleted');
    const total = (events.find((e) => e.event_type === 'SessionEnded')!.payload as { total_chunks: number })
      .total_chunks;
    expect(last.payload).toMatchObject({ total_chunks: total, completed_chunks: total, failed_chunks: 0 });
    expect(connection.completed).toEqual(last.payload);
    // The log holds it once, after every result.
    const log = await stack.log(session.session_id);
    expect(log.filter((e) => e.type === 'SessionCompleted')).toHaveLength(1);
    expect(log[log.length - 1]!.type).toBe('SessionCompleted');
    expect((await client.transcript(session.session_id)).complete).toBe(true);
    expect((await client.getSession(session.session_id)).progress).toEqual({
      chunks_accepted: total,
      chunks_completed: total,
      chunks_failed: 0,
      chunks_processing: 0,
      complete: true,
    });
  });

  it('SSE: the stream ends after SessionCompleted, GatewayClient.events() finishes, and asking again from there is a 204', async () => {
    const client = stack.client();
    const upload = await client.upload(speechWav(WORDS), { target_languages: ['fr'], chunk_ms: 1000 });
    const events = await all(client.events(upload.session_id));
    expect(completedOf(events)).toHaveLength(1);
    expect(events[events.length - 1]!.event_type).toBe('SessionCompleted');
    const completedId = events[events.length - 1]!.id;

    // The raw stream ends by itself (reading it whole returns), its last record the completion; then
    // EventSource, which would reconnect, is told to stop.
    const url = `${stack.gateways[0]!.url}/api/sessions/${upload.session_id}/events`;
    const headers = { authorization: `Bearer ${TENANT_A_KEY}` };
    const body = await (await fetch(url, { headers })).text();
    expect(body.trimEnd().split('\n\n').pop()).toMatch(
      new RegExp(`^id: ${completedId}\nevent: SessionCompleted\n`),
    );
    const again = await fetch(url, { headers: { ...headers, 'last-event-id': completedId } });
    expect(again.status).toBe(204);
    expect(await all(client.events(upload.session_id, { lastEventId: completedId }))).toEqual([]);
    // Resuming before it still delivers it, then ends.
    const resumed = await all(client.events(upload.session_id, { lastEventId: events[0]!.id }));
    expect(resumed.map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
  });

  it('a session ended without audio completes at once', async () => {
    const client = stack.client();
    const session = await client.createSession();
    await client.endSession(session.session_id);
    const events = await all(client.events(session.session_id));
    expect(events.map((e) => e.event_type)).toEqual(['SessionEnded', 'SessionCompleted']);
    expect(events[1]!.payload).toMatchObject({ total_chunks: 0, completed_chunks: 0, failed_chunks: 0 });
  });

  it('lt stream and lt upload exit 0 once the session completes, printing its totals', async () => {
    const file = await wavFile(speechWav(WORDS));
    const urls = [stack.gateways[0]!.url];
    const streamed = await runLt(['stream', '--fast', '--to', 'es', '--chunk-ms', '1000', file], {
      urls,
      key: TENANT_A_KEY,
    });
    expect(streamed.output).toMatch(/\(session complete: (\d+) of \1 chunks done\)/);
    expect(streamed.output).toContain(`transcript (en): ${WORDS.join(' ')}`);
    expect(streamed.code).toBe(0);
    const uploaded = await runLt(['upload', '--to', 'es', file], { urls, key: TENANT_A_KEY });
    expect(uploaded.output).toContain('(session complete:');
    expect(uploaded.output).toContain(`transcript (en): ${WORDS.join(' ')}`);
    expect(uploaded.code).toBe(0);
  });
});

describe('lt live (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('follows a session someone else streams, as it happens, and exits 0 when it completes', async () => {
    const client = stack.client();
    // 3 s chunks: drafts (every second by default) come while each is recorded.
    const session = await client.createSession({ target_languages: ['es'], chunk_ms: 3000, overlap_ms: 0 });
    const follower = startLt(['live', session.session_id], {
      urls: [stack.gateways[0]!.url],
      key: TENANT_A_KEY,
    });
    // Drafts are live-only (never replayed): the words start once the follower is up. A fixed wait
    // was not enough on a loaded machine, where starting the CLI alone can take seconds; from its
    // first line, two requests remain (where the log stands, then the stream).
    await until('lt live to start following', async () => follower.output().includes('following'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const connection = await client.streamAudio(session.session_id, frames(speechPcm(WORDS)), {
      paced: true,
      end: true,
    });
    for await (const _ of connection.events());
    const run = await follower.done;
    expect(run.output).toContain(`session ${session.session_id} (open): following`);
    expect(run.output).toMatch(/\[chunk 0\] … hello[a-z ]* \(draft\)/); // over SSE, without a log id
    expect(run.output).toMatch(/\[chunk 0\] hello/);
    expect(run.output).toMatch(/\[chunk \d+\] es: /);
    expect(run.output).toMatch(/\(session complete: (\d+) of \1 chunks done\)/);
    expect(run.code).toBe(0);
    // A completed session is replayed from its start.
    const replay = await runLt(['live', session.session_id], {
      urls: [stack.gateways[0]!.url],
      key: TENANT_A_KEY,
    });
    expect(replay.output).toContain('(completed): following from its start');
    expect(replay.output).toMatch(/\[chunk 0\] hello/);
    expect(replay.code).toBe(0);
  });
});

describe('when chunks fail or nothing processes them (real processes)', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('failed chunks are counted in SessionCompleted and lt upload exits 2', async () => {
    stack = await Stack.start({
      whisperEnv: { MOCK_FAILURE_EVERY: '2' },
      workerEnv: { DOWNSTREAM_MAX_ATTEMPTS: '1' },
    });
    const file = await wavFile(speechWav(WORDS));
    const run = await runLt(['upload', file], { urls: [stack.gateways[0]!.url], key: TENANT_A_KEY });
    const [, done, total, failed] = /\(session complete: (\d+) of (\d+) chunks done, (\d+) failed\)/.exec(
      run.output,
    )!;
    expect(Number(failed)).toBeGreaterThanOrEqual(1);
    expect(Number(done) + Number(failed)).toBe(Number(total));
    expect(run.code).toBe(2);
  });

  it('with no audio worker running, lt says so instead of hanging, and gives up with exit 1', async () => {
    stack = await Stack.start({ workers: 0 });
    const file = await wavFile(speechWav(WORDS));
    const run = await runLt(['upload', '--wait-timeout', '4', file], {
      urls: [stack.gateways[0]!.url],
      key: TENANT_A_KEY,
    });
    expect(run.output).toMatch(
      /\(waiting: 0 of \d+ chunks done; no audio worker is consuming the ingest queue/,
    );
    expect(run.output).toContain('gave up: no audio worker consumed');
    expect(run.code).toBe(1);
  });
});
