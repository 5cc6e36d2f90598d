import WebSocket from 'ws';
import { frames, SENTENCE, speechPcm } from './support/audio-fixtures.js';
import { collectUntilComplete, Stack, TENANT_A_KEY, until } from './support/stack.js';

/** 16 kHz mono s16le: 32 bytes a millisecond. */
const bytesAt = (ms: number) => ms * 32;

/** Opens a raw socket on the session and resolves with it and the session view of its greeting. */
async function open(url: string, id: string, lastEventId?: string) {
  const query = lastEventId ? `&last_event_id=${lastEventId}` : '';
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/sessions/${id}?token=${TENANT_A_KEY}${query}`);
  const greeting = await new Promise<{ audio_ms: number }>((resolve, reject) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; session?: { audio_ms: number } };
      if (message.type === 'session') resolve(message.session!);
    });
    ws.once('error', reject);
  });
  return { ws, greeting };
}

/** Sends `pcm` in 100 ms frames; resolves once the gateway has taken every frame in (ping, pong). */
async function send(ws: WebSocket, pcm: Buffer): Promise<void> {
  for await (const frame of frames(pcm)) ws.send(frame);
  const pong = new Promise<void>((resolve) =>
    ws.on('message', (data) => JSON.parse(data.toString()).type === 'pong' && resolve()),
  );
  ws.send(JSON.stringify({ type: 'ping' }));
  await pong;
}

/**
 * The client comes back on `url` after an input cut at 1,350 ms (mid-"good"): the greeting must
 * count all of it, the rest of the sentence follows, and every word is heard exactly once.
 */
async function resumeAndFinish(stack: Stack, url: string, id: string): Promise<void> {
  const client = stack.client();
  const speech = speechPcm();
  const resumed = await open(url, id, '0-1');
  expect(resumed.greeting.audio_ms).toBe(1350);
  await send(resumed.ws, speech.subarray(bytesAt(resumed.greeting.audio_ms)));
  resumed.ws.send(JSON.stringify({ type: 'end' }));
  await collectUntilComplete(client.events(id), []);
  resumed.ws.close();
  // The cut input's last chunk left "good" to the next, which repeated its end and heard it whole.
  expect((await client.transcript(id)).text).toBe(SENTENCE.join(' '));
}

describe('a live input replaced mid-word (real processes)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ gateways: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // The sentence's words last 300 ms every 500 ms from 200 ms: "good" is heard from 1,200 to 1,500.
  const chunking = { target_languages: [], chunk_ms: 4000, overlap_ms: 400 };

  it('a client resuming on another replica while its old socket still looks open: the cut word is heard once, nothing is lost', async () => {
    const client = stack.client();
    const { session_id: id } = await client.createSession(chunking);
    const speech = speechPcm();
    // The old connection sent up to the middle of "good", and its replica has not noticed it is gone.
    const old = await open(stack.gateways[0]!.url, id);
    await send(old.ws, speech.subarray(0, bytesAt(1350)));

    // The client resumes on the other replica: the old input is handed over there first (asked
    // through the peers), so the greeting counts all of its audio.
    await resumeAndFinish(stack, stack.gateways[1]!.url, id);
    old.ws.terminate();
  });

  it('a replica shutting down mid-word hands its input over: the client resumes on another, the word is heard once', async () => {
    // A gateway of its own, so stopping it leaves the shared two running.
    const leaving = await stack.addGateway();
    const client = stack.client();
    const { session_id: id } = await client.createSession(chunking);
    const speech = speechPcm();
    const first = await open(leaving.url, id);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      first.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await send(first.ws, speech.subarray(0, bytesAt(1350)));

    expect(await leaving.stop()).toBe(0);
    // Told to come back elsewhere, after its buffered audio was handed over.
    expect(await closed).toEqual({
      code: 1001,
      reason: 'server shutting down; reconnect with last_event_id',
    });
    await resumeAndFinish(stack, stack.gateways[0]!.url, id);
  });

  it('an input that went away with nobody continuing: its owed overlap is the last chunk when the session ends', async () => {
    const client = stack.client();
    const { session_id: id } = await client.createSession(chunking);
    const words = SENTENCE.slice(0, 3);
    // Up to the end of "good", then the socket is gone: "good" lies in the part its next chunk was
    // to repeat, and no next chunk comes.
    const input = await open(stack.gateways[0]!.url, id);
    await send(input.ws, speechPcm(words).subarray(0, bytesAt(1500)));
    input.ws.terminate();
    await until('the dropped input stored', async () => (await client.getSession(id)).audio_ms === 1500);

    await client.endSession(id);
    await collectUntilComplete(client.events(id), []);
    expect((await client.transcript(id)).text).toBe(words.join(' '));
  });
});
