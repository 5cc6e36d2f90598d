import { randomUUID } from 'node:crypto';
import { GatewayClient, TranslationClient, type SessionEvent } from '@livetranslate/contracts';
import { encodeWav } from '@livetranslate/audio';
import WebSocket from 'ws';
import { frames, RATE, SENTENCE, speech, speechPcm, speechWav } from './support/audio-fixtures.js';
import { collectUntilComplete, isComplete, Stack, TENANT_A_KEY, TENANT_B_KEY } from './support/stack.js';

type Transcription = { seq: number; text: string; segments: Array<{ text: string; start_ms: number }> };
type Translation = { seq: number; text: string; translated_text: string; target_language: string };

const of = <P>(events: SessionEvent[], type: string) =>
  events.filter((e) => e.event_type === type).map((e) => e.payload as P);

/** Raw WebSocket for refusal tests: resolves with the close code and reason. */
function closeOf(url: string, headers: Record<string, string> = {}, send?: (ws: WebSocket) => void) {
  return new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => send?.(ws));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

describe('live audio path, end to end (real processes: Redis, gateway, worker, both mocks)', () => {
  let stack: Stack;
  let translator: TranslationClient;

  beforeAll(async () => {
    stack = await Stack.start({ gateways: 2 });
    translator = new TranslationClient({ baseUrl: stack.translation.url });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('1. streams tone-coded speech over WebSocket at real-time pace and gets every chunk transcribed and translated, in order', async () => {
    const client = stack.client();
    const session = await client.createSession({
      target_languages: ['es', 'fr'],
      chunk_ms: 2000,
      overlap_ms: 500,
    });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm()), {
      paced: true,
      sampleRate: RATE,
      end: true,
    });
    const events = await collectUntilComplete(connection.events(), ['es', 'fr']);
    connection.close();

    const transcriptions = of<Transcription>(events, 'TranscriptionCompleted');
    const total = of<{ total_chunks: number }>(events, 'SessionEnded')[0]!.total_chunks;
    expect(total).toBeGreaterThanOrEqual(4);
    expect(transcriptions.map((t) => t.seq)).toEqual([...Array(total).keys()]);
    // Every word once, in order: nothing doubled or lost at the chunk boundaries.
    expect(transcriptions.flatMap((t) => t.segments.map((s) => s.text))).toEqual(SENTENCE);
    const starts = transcriptions.flatMap((t) => t.segments.map((s) => s.start_ms));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(Math.abs(starts[0]! - 200)).toBeLessThanOrEqual(20); // absolute session time

    for (const language of ['es', 'fr']) {
      const translations = of<Translation>(events, 'TranslationCompleted').filter(
        (t) => t.target_language === language,
      );
      expect(translations.map((t) => t.seq)).toEqual([...Array(total).keys()]);
      for (const t of translations) {
        const expected = t.text
          ? (await translator.translate({ text: t.text, sourceLanguage: 'en', targetLanguage: language }))
              .translatedText
          : '';
        expect(t.translated_text).toBe(expected);
        expect(t.translated_text).not.toContain('[');
      }
    }
    // Each chunk's translations come after its transcription.
    for (const t of transcriptions) {
      const at = events.findIndex(
        (e) => e.event_type === 'TranscriptionCompleted' && (e.payload as Transcription).seq === t.seq,
      );
      const translationsAt = events.flatMap((e, i) =>
        e.event_type === 'TranslationCompleted' && (e.payload as Translation).seq === t.seq ? [i] : [],
      );
      expect(Math.min(...translationsAt)).toBeGreaterThan(at);
    }

    const transcript = await client.transcript(session.session_id);
    expect(transcript).toMatchObject({
      complete: true,
      status: 'ended',
      text: SENTENCE.join(' '),
      language: 'en',
    });
    expect(transcript.translations.es!.text).toContain('hola mundo');
  });

  it('joins chunks cut inside words through their overlap: every word of the sentence exactly once', async () => {
    // Words last 300 ms every 500 ms from 200 ms: 1,100 ms chunks with 300 ms overlap cut inside
    // words, so only the overlap (cut on the WebSocket path, deduplicated by the worker) keeps them whole.
    const client = stack.client();
    const session = await client.createSession({ chunk_ms: 1100, overlap_ms: 300 });
    const connection = await client.streamAudio(session.session_id, frames(speechPcm()), { end: true });
    await collectUntilComplete(connection.events(), []);
    connection.close();
    const transcript = await client.transcript(session.session_id);
    expect(transcript.text).toBe(SENTENCE.join(' '));
  });

  it('acknowledges each stored chunk on the socket, so a client knows which audio is safe', async () => {
    const client = stack.client();
    const session = await client.createSession({ chunk_ms: 1000, overlap_ms: 0 });
    const pcm = speechPcm(SENTENCE.slice(0, 6));
    const audioMs = pcm.length / 32; // 16 kHz mono s16le
    const connection = await client.streamAudio(session.session_id, frames(pcm), { end: true });
    const events = await collectUntilComplete(connection.events(), []);
    const total = (events.find((e) => e.event_type === 'SessionEnded')!.payload as { total_chunks: number })
      .total_chunks;
    connection.close();
    await connection.closed;
    // The last acknowledgement covers all the audio: nothing was held back unacknowledged.
    expect(connection.accepted).toEqual({ seq: total - 1, endMs: Math.round(audioMs) });
  });

  it('2. resumes on another gateway replica from the last event id: every event exactly once (WebSocket and SSE)', async () => {
    const a = stack.client(0);
    const b = stack.client(1);
    const session = await a.createSession({ target_languages: ['es'], chunk_ms: 1000, overlap_ms: 200 });
    const id = session.session_id;

    // WebSocket: stream everything through replica A, read a few events there, drop, resume on B.
    const first = await a.streamAudio(id, frames(speechPcm()), { end: true });
    const before = await collectUntilComplete(first.events(), ['es'], 30_000, (_e, all) => all.length >= 3);
    first.drop();
    const resumed = b.connect(id, { lastEventId: before[before.length - 1]!.id });
    // Read to the end: the server closes the socket after SessionCompleted.
    const after = await collectUntilComplete(
      resumed.events(),
      ['es'],
      60_000,
      (e) => e.event_type === 'SessionCompleted',
    );
    expect(isComplete([...before, ...after], ['es'])).toBe(true);
    resumed.close();
    const viaSocket = [...before, ...after].map((e) => e.id);
    const log = (await stack.log(id)).map((e) => e.id);
    expect(viaSocket).toEqual(log); // all of them, in log order, none twice

    // SSE: the same with Last-Event-ID, across replicas.
    const stop = new AbortController();
    const firstHalf: string[] = [];
    for await (const event of a.events(id, { signal: stop.signal })) {
      firstHalf.push(event.id);
      if (firstHalf.length === Math.floor(log.length / 2)) break;
    }
    const secondHalf: string[] = [];
    for await (const event of b.events(id, { lastEventId: firstHalf[firstHalf.length - 1]! })) {
      secondHalf.push(event.id);
      if (secondHalf.length === log.length - firstHalf.length) break;
    }
    expect([...firstHalf, ...secondHalf]).toEqual(log);
  });

  it('ending a session on one replica flushes the audio a socket on another replica still buffers', async () => {
    const session = await stack
      .client(0)
      .createSession({ target_languages: [], chunk_ms: 4000, overlap_ms: 500 });
    const id = session.session_id;
    const words: typeof SENTENCE = ['hello', 'world', 'good'];
    // Less than a chunk: replica 0 holds all of it in its buffer.
    const ws = new WebSocket(
      `${stack.gateways[0]!.url.replace('http', 'ws')}/ws/sessions/${id}?token=${TENANT_A_KEY}`,
    );
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    for await (const frame of frames(speechPcm(words))) ws.send(frame);
    // The socket handles its frames in order: the pong says every frame before it was taken in.
    const pong = new Promise<void>((resolve) =>
      ws.on('message', (data) => JSON.parse(data.toString()).type === 'pong' && resolve()),
    );
    ws.send(JSON.stringify({ type: 'ping' }));
    await pong;

    const other = stack.client(1);
    await other.endSession(id);
    const events = await collectUntilComplete(other.events(id), []);
    ws.close();
    expect(of<{ total_chunks: number }>(events, 'SessionEnded')[0]!.total_chunks).toBe(1);
    expect(
      of<Transcription>(events, 'TranscriptionCompleted').flatMap((t) => t.segments.map((x) => x.text)),
    ).toEqual(words);
  });

  it('3. upload with wait=true answers with the assembled transcript and translations', async () => {
    const result = await stack
      .client()
      .upload(speechWav(), { wait: true, target_languages: ['es', 'de'], chunk_ms: 2500, overlap_ms: 500 });
    expect(result.transcript).toMatchObject({ complete: true, text: SENTENCE.join(' '), status: 'ended' });
    expect(result.transcript!.segments.map((s) => s.text)).toEqual(SENTENCE);
    expect(result.transcript!.translations.es!.text).toContain('amigo agua casa hoy');
    expect(result.transcript!.translations.de!.text).toContain('Freund Wasser Haus heute');
    expect(result.transcript!.chunks.accepted).toBe(result.transcript!.translations.de!.chunks.length);
  });

  it("4. keeps tenants apart (404 for another tenant's session everywhere) and refuses missing keys (401)", async () => {
    const mine = await stack.client(0, TENANT_A_KEY).createSession({ target_languages: ['es'] });
    const id = mine.session_id;
    const other = stack.client(0, TENANT_B_KEY);
    for (const call of [
      () => other.getSession(id),
      () => other.transcript(id),
      () => other.endSession(id),
      () => other.sendChunk(id, speechWav(['yes'])),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 404, code: 'session_not_found' });
    }
    await expect(other.events(id).next()).rejects.toMatchObject({ status: 404 });
    const ws = `${stack.gateways[0]!.url.replace('http', 'ws')}/ws/sessions/${id}`;
    expect(await closeOf(ws, { 'x-api-key': TENANT_B_KEY })).toEqual({
      code: 4404,
      reason: 'session not found',
    });
    expect((await closeOf(`${ws}?token=${TENANT_B_KEY}`)).code).toBe(4404);
    expect((await closeOf(ws)).code).toBe(4401);
    expect((await closeOf(`${ws}?token=not-a-key-at-all`)).code).toBe(4401);

    const anonymous = await fetch(`${stack.gateways[0]!.url}/api/sessions/${id}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { code: 'unauthorized' },
      request_id: expect.any(String),
    });
    const bearer = await fetch(`${stack.gateways[0]!.url}/api/sessions/${id}`, {
      headers: { authorization: `Bearer ${TENANT_A_KEY}` },
    });
    expect(bearer.status).toBe(200);
    expect((await fetch(`${stack.gateways[0]!.url}/healthz`)).status).toBe(200);
  });

  it('5. answers bad input with the right 4xx JSON error and keeps serving', async () => {
    const client = stack.client();
    const base = stack.gateways[0]!.url;
    const headers = { 'x-api-key': TENANT_A_KEY };
    const session = await client.createSession();
    const id = session.session_id;

    await expect(client.sendChunk(id, Buffer.from('RIFF....WAVEjunk'))).rejects.toMatchObject({
      status: 400,
      code: 'invalid_audio',
    });
    await expect(client.upload(Buffer.from('not audio at all'))).rejects.toMatchObject({
      status: 415,
      code: 'unsupported_audio',
      message: expect.stringContaining('accepted: WAV (PCM or float), WebM/Opus, Ogg/Opus, MP3'),
    });
    const mp3 = speechWav(['yes']);
    mp3.writeUInt16LE(0x55, 20);
    await expect(client.sendChunk(id, mp3)).rejects.toMatchObject({ status: 415, code: 'unsupported_audio' });
    await expect(client.getSession(randomUUID())).rejects.toMatchObject({
      status: 404,
      code: 'session_not_found',
    });
    await expect(client.getSession('not-a-uuid')).rejects.toMatchObject({ status: 400 });

    let response = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"target_languages": [',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('JSON') } });
    response = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    await expect(client.createSession({ chunk_ms: 10, colour: 'blue' } as never)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(
        /property colour should not exist.*chunk_ms must not be less than 1000|chunk_ms must not be less than 1000.*property colour should not exist/,
      ),
    });
    await expect(client.createSession({ chunk_ms: 2000, overlap_ms: 1500 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_overlap',
    });
    await expect(client.translate('hello', 'xx')).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_language',
    });

    const ws = `${base.replace('http', 'ws')}/ws/sessions/${id}?token=${TENANT_A_KEY}`;
    const corrupt = await closeOf(ws, {}, (s) =>
      s.send(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), { binary: true }),
    );
    expect(corrupt.code).toBe(4400);
    const oversized = await closeOf(ws, {}, (s) => s.send(Buffer.alloc(300 * 1024), { binary: true }));
    expect(oversized.code).toBe(1009);
    const wrongRate = await closeOf(ws, {}, (s) =>
      s.send(encodeWav([speech(['yes'])], 8000), { binary: true }),
    );
    expect(wrongRate).toMatchObject({ code: 4415, reason: expect.stringContaining('16000 Hz') });

    // Other sessions are still served.
    const ok = await client.upload(speechWav(['thank', 'you']), { wait: true, target_languages: ['fr'] });
    expect(ok.transcript).toMatchObject({ complete: true, text: 'thank you' });
    expect(ok.transcript!.translations.fr!.text).toBe('merci');
  });

  it('enforces the chunk rate per session and the open-session limit per tenant, with clear errors', async () => {
    const client = stack.client();
    const session = await client.createSession();
    const chunk = speechWav(['yes']);
    const results = await Promise.allSettled(
      Array.from({ length: 14 }, () => client.sendChunk(session.session_id, chunk)),
    );
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: expect.stringContaining('chunks per second'),
    });

    // The same per-session rate holds on the WebSocket: a client pushing audio far faster than real
    // time is told so and closed (4429).
    const flood = await client.createSession({ chunk_ms: 1000, overlap_ms: 0 });
    const connection = await client.streamAudio(
      flood.session_id,
      frames(speechPcm([...SENTENCE, ...SENTENCE, ...SENTENCE])),
    );
    const closed = await connection.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toContain('chunks per second');

    // A tenant's open sessions count in Redis, across replicas; its limit is configuration, applied
    // by every replica without a restart.
    await stack.configure('/api/tenants/tenant-b/config', {
      limits: { max_open_sessions_per_tenant: 3, max_chunks_per_second: 10, max_upload_bytes: 52_428_800 },
    });
    const limited = new GatewayClient({ baseUrl: stack.gateways[1]!.url, apiKey: TENANT_B_KEY });
    const open = await Promise.all([1, 2, 3].map(() => limited.createSession()));
    await expect(limited.createSession()).rejects.toMatchObject({ status: 429, code: 'too_many_sessions' });
    await limited.endSession(open[0]!.session_id);
    await expect(limited.createSession()).resolves.toMatchObject({ status: 'open' });
  });

  it('keeps live sockets alive with ping/pong and drops peers that stop answering', async () => {
    const gateway = await stack.addGateway({ WS_PING_INTERVAL_MS: '1000' });
    const session = await stack.client().createSession();
    const url = `${gateway.url.replace('http', 'ws')}/ws/sessions/${session.session_id}?token=${TENANT_A_KEY}`;
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, { autoPong });
        ws.once('message', () => resolve(ws)); // the session greeting
        ws.once('error', reject);
      });
    const alive = await open(true);
    const silent = await open(false);
    let pings = 0;
    alive.on('ping', () => pings++);
    const silentClosed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    const replies: unknown[] = [];
    alive.on('message', (data) => replies.push(JSON.parse(data.toString())));
    alive.send(JSON.stringify({ type: 'ping' }));
    // A peer that never answers pings is dropped within two intervals, without a close handshake.
    expect(await silentClosed).toBe(1006);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(alive.readyState).toBe(WebSocket.OPEN);
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(replies).toContainEqual({ type: 'pong' });
    alive.close();
  });

  it('serves its OpenAPI document and Prometheus metrics without a key', async () => {
    const base = stack.gateways[0]!.url;
    const openapi = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/sessions',
      '/api/sessions/{id}',
      '/api/sessions/{id}/audio',
      '/api/audio/upload',
      '/api/sessions/{id}/events',
      '/api/sessions/{id}/transcript',
      '/api/translate',
    ]) {
      expect(openapi.paths).toHaveProperty([path]);
    }
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    // The UI's script is served from swagger-ui-dist's own folder, found at run time.
    const ui = await fetch(`${base}/docs/swagger-ui-bundle.js`);
    expect({ status: ui.status, type: ui.headers.get('content-type') }).toEqual({
      status: 200,
      type: expect.stringMatching(/javascript/),
    });
    // Its own traffic, so it does not depend on what other tests ran first.
    const client = stack.client();
    const session = await client.createSession({});
    const connection = await client.streamAudio(session.session_id, frames(speechPcm(SENTENCE.slice(0, 4))), {
      end: true,
    });
    for await (const event of connection.events()) if (event.event_type === 'TranscriptionCompleted') break;
    connection.close();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(
      Number(metrics.match(/livetranslate_audio_chunks_published_total\{source="websocket"\} (\d+)/)?.[1]),
    ).toBeGreaterThan(0);
    expect(
      Number(metrics.match(/livetranslate_session_events_delivered_total\{channel="websocket"\} (\d+)/)?.[1]),
    ).toBeGreaterThan(0);
    expect(metrics).toMatch(/^livetranslate_websocket_connections_open \d+$/m);
    expect(metrics).toMatch(
      /livetranslate_http_request_duration_seconds_count\{method="POST",route="\/api\/sessions",status="201"\} \d+/,
    );
  });

  it("8. processes an AudioChunkReceived written in the original Python service's format", async () => {
    const client = stack.client();
    const session = await client.createSession({ target_languages: ['es'] });
    const id = session.session_id;
    const key = `${stack.ns}:session:{${id}}:audio:0`;
    await stack.redis.set(key, speechWav(['good', 'morning', 'friend']), 'EX', 600);
    const payload = {
      session_id: id,
      chunk_id: `${id}:0`,
      seq: 0,
      tenant_id: 'tenant-a',
      source_type: 'bot',
      storage_uri: `redis://${key}`,
      content_type: 'audio/wav',
      audio_config: { sample_rate: 16000, channels: 1, encoding: 'wav' },
      start_ms: 0,
      duration_ms: 2200,
      processing_flags: { transcribe: true, diarize: false, translate: true, target_languages: ['es'] },
    };
    // json.dumps separators, isoformat() timestamp, no trace keys.
    const data = JSON.stringify({
      schema_version: 'v1',
      event_id: randomUUID(),
      event_type: 'AudioChunkReceived',
      source: 'orchestration-api',
      timestamp: '2025-10-19T18:26:48.123456+00:00',
      payload,
    })
      .replace(/","/g, '", "')
      .replace(/":/g, '": ');
    // The single stream's name (or, on a partitioned deployment, the session's partition).
    await stack.redis.xadd(stack.ingestStreamOf(id), 'MAXLEN', '~', '1000', '*', 'data', data);
    const events = await collectUntilComplete(
      client.events(id),
      [],
      30_000,
      (e) => e.event_type === 'TranslationCompleted',
    );
    expect(of<Transcription>(events, 'TranscriptionCompleted')[0]).toMatchObject({
      seq: 0,
      text: 'good morning friend',
    });
    expect(of<Translation>(events, 'TranslationCompleted')[0]).toMatchObject({
      translated_text: 'buenos días amigo',
    });
  });

  it('rejects a bad variable at boot, naming it', async () => {
    const { runAppToExit } = await import('@livetranslate/service-kit/testing');
    const { ENTRIES } = await import('./support/stack.js');
    const gateway = await runAppToExit(ENTRIES.gateway, { API_KEYS: 'short:x', REDIS_URL: 'http://nope' });
    expect(gateway.code).toBe(1);
    expect(gateway.output).toContain('API_KEYS');
    expect(gateway.output).toContain('REDIS_URL ("http://nope")');
    const worker = await runAppToExit(ENTRIES.worker, {
      WORKER_MAX_IN_FLIGHT: '0',
      AUDIO_SERVICE_URL: 'nope',
    });
    expect(worker.code).toBe(1);
    expect(worker.output).toContain('WORKER_MAX_IN_FLIGHT ("0")');
    expect(worker.output).toContain('AUDIO_SERVICE_URL ("nope")');
  });
});
