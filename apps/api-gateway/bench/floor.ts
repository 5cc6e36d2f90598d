/**
 * The live path's floor on this machine: the same I/O per chunk as the gateway and the worker, done
 * by bare Node (node:http, ws, ioredis) with nothing else — no framework, validation, auth,
 * rate limit, idempotency, ordering, completion, retries, tracing or metrics. The pipeline bench
 * runs it beside the platform and prints the platform's CPU per chunk as a multiple of it, a ratio
 * that holds across machines where the milliseconds do not. Not a product: it loses chunks on a
 * crash and repeats results on a redelivery.
 *
 *   FLOOR_ROLE=gateway|worker node --import @swc-node/register/esm-register bench/floor.ts
 *   env: PORT, REDIS_URL, FLOOR_KEYS (key prefix), AUDIO_SERVICE_URL, TRANSLATION_SERVICE_URL
 *
 * Per chunk: the gateway reads the POSTed WAV, stores it and appends the chunk to the ingest stream
 * (one round trip), answers 202, and forwards each result to the session's WebSocket; the worker
 * reads the chunk, gets its audio, calls the whisper mock, appends the transcript, calls the
 * translation mock, appends the translation and acks (four round trips and two HTTP calls).
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const env = process.env;
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = env.FLOOR_KEYS ?? 'floor';
const INGEST = `${prefix}:ingest`;
const RESULTS = `${prefix}:results`;
const GROUP = 'floor';
const audioKey = (session: string, seq: number) => `${prefix}:audio:${session}:${seq}`;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts)));
    request.on('error', reject);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A POST on a keep-alive connection (Node's own client: fetch costs several times the CPU). */
function post(url: string, contentType: string, body: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } },
      (response) => readBody(response).then((text) => resolve(JSON.parse(text.toString())), reject),
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

const BOUNDARY = 'floor-boundary-7d1f3a';

function multipart(filename: string, audio: Buffer, fields: Record<string, string>): Buffer {
  let text = '';
  for (const [name, value] of Object.entries(fields))
    text += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="audio"; filename="${filename}"\r\n` +
        'Content-Type: audio/wav\r\n\r\n',
    ),
    audio,
    Buffer.from(`\r\n${text}--${BOUNDARY}--\r\n`),
  ]);
}

function gateway() {
  const redis = new Redis(redisUrl);
  const tail = new Redis(redisUrl);
  const seqs = new Map<string, number>();
  const sockets = new Map<string, WebSocket>();
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const path = req.url!.split('?')[0]!.split('/').filter(Boolean);
    if (req.method === 'GET' && path[0] === 'healthz') return json(res, 200, { status: 'ok' });
    const body = await readBody(req);
    if (req.method === 'POST' && path.length === 2) {
      const id = randomUUID();
      seqs.set(id, 0);
      return json(res, 201, { session_id: id });
    }
    const session = path[2]!;
    if (req.method === 'DELETE') {
      seqs.delete(session);
      return json(res, 200, { session_id: session });
    }
    const seq = seqs.get(session) ?? 0;
    seqs.set(session, seq + 1);
    const chunk = {
      session_id: session,
      chunk_id: `${session}:${seq}`,
      seq,
      storage_uri: audioKey(session, seq),
    };
    await redis
      .pipeline()
      .set(chunk.storage_uri, body, 'EX', 300)
      .xadd(INGEST, '*', 'data', JSON.stringify(chunk))
      .exec();
    json(res, 202, chunk);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const session = req.url!.split('?')[0]!.split('/')[3]!;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(session, ws);
      ws.on('close', () => sockets.delete(session));
    });
  });
  void (async () => {
    let last = '$';
    for (;;) {
      const read = await tail.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', RESULTS, last);
      for (const [, entries] of read ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          sockets.get(fields[1]!)?.send(fields[3]!);
        }
      }
    }
  })();
  server.listen(Number(env.PORT), '127.0.0.1');
}

async function worker() {
  const redis = new Redis(redisUrl);
  const reader = new Redis(redisUrl);
  await redis.xgroup('CREATE', INGEST, GROUP, '$', 'MKSTREAM').catch(() => undefined);
  const frame = (type: string, payload: Record<string, unknown>) =>
    JSON.stringify({
      type: 'event',
      schema_version: 'v1',
      event_id: randomUUID(),
      event_type: type,
      source: 'floor',
      timestamp: new Date().toISOString(),
      payload,
    });
  async function handle(id: string, data: string) {
    const chunk = JSON.parse(data) as {
      session_id: string;
      chunk_id: string;
      seq: number;
      storage_uri: string;
    };
    // The stages the platform's worker reports, timed the same way (the entry id holds its append time).
    const queuedMs = Date.now() - Number(id.slice(0, id.indexOf('-')));
    const audio = await redis.getBuffer(chunk.storage_uri);
    let started = performance.now();
    const heard = (await post(
      `${env.AUDIO_SERVICE_URL}/transcribe`,
      `multipart/form-data; boundary=${BOUNDARY}`,
      multipart(`${chunk.chunk_id}.wav`, audio!, { session_id: chunk.session_id }),
    )) as { text: string; language: string; processing_time: number };
    const whisperMs = performance.now() - started;
    const base = { session_id: chunk.session_id, chunk_id: chunk.chunk_id, seq: chunk.seq };
    await redis.xadd(
      RESULTS,
      '*',
      'session',
      chunk.session_id,
      'frame',
      frame('TranscriptionCompleted', {
        ...base,
        text: heard.text,
        language: heard.language,
        timings: { service_ms: heard.processing_time * 1000, queued_ms: queuedMs, whisper_ms: whisperMs },
      }),
    );
    started = performance.now();
    const translated = (await post(
      `${env.TRANSLATION_SERVICE_URL}/api/translate`,
      'application/json',
      Buffer.from(
        JSON.stringify({ text: heard.text, source_language: heard.language, target_language: 'es' }),
      ),
    )) as { translated_text: string; processing_time: number };
    await redis
      .pipeline()
      .xadd(
        RESULTS,
        '*',
        'session',
        chunk.session_id,
        'frame',
        frame('TranslationCompleted', {
          ...base,
          translated_text: translated.translated_text,
          target_language: 'es',
          timings: {
            service_ms: translated.processing_time * 1000,
            translation_ms: performance.now() - started,
          },
        }),
      )
      .xack(INGEST, GROUP, id)
      .exec();
  }
  createServer((_req, res) => res.end('ok')).listen(Number(env.PORT), '127.0.0.1');
  for (;;) {
    const read = (await reader.xreadgroup(
      'GROUP',
      GROUP,
      'floor',
      'COUNT',
      32,
      'BLOCK',
      1000,
      'STREAMS',
      INGEST,
      '>',
    )) as [string, [string, string[]][]][] | null;
    for (const [, entries] of read ?? []) for (const [id, fields] of entries) void handle(id, fields[1]!);
  }
}

if (env.FLOOR_ROLE === 'gateway') gateway();
else await worker();
