import { connect, type Socket } from 'node:net';
import { SENTENCE, speechWav } from './support/audio-fixtures.js';
import { Stack, TENANT_A_KEY } from './support/stack.js';

/** A raw HTTP exchange: what the server answered, and how many body bytes we had sent by then. */
interface Exchange {
  response: string;
  bodyBytesSent: number;
  closed: boolean;
}

/**
 * Sends the head, then the body in pieces (every few ms) until the server answers or closes; never
 * sends more once it has. `total` is what the body would have been.
 */
function exchange(url: string, head: string, piece: Buffer, total: number): Promise<Exchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let response = '';
    let sent = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(timer);
      resolve({ response, bodyBytesSent: sent, closed });
    };
    socket.on('data', (data) => {
      response += data.toString();
      clearInterval(timer);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (response || sent >= total) return clearInterval(timer);
        socket.write(piece);
        sent += piece.length;
      }, 2);
    });
    setTimeout(() => reject(new Error(`no answer; sent ${sent} bytes, got: ${response}`)), 20_000).unref();
  });
}

const statusOf = (response: string) => Number(response.split(' ')[1]);

describe('bodies are bounded before they are read (real gateway)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({
      gatewayEnv: {
        MAX_UPLOAD_BYTES: String(256 * 1024),
        MAX_CHUNK_BYTES: String(64 * 1024),
        HTTP_HEADERS_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => stack.stop());

  const url = () => stack.gateways[0]!.url;
  const piece = Buffer.alloc(16 * 1024);

  it('a multipart upload declaring 10 GB is refused with 413 before its body is read, and the connection closed', async () => {
    const total = 10 * 1024 ** 3;
    const head =
      `POST /api/audio/upload HTTP/1.1\r\nHost: x\r\nX-API-Key: ${TENANT_A_KEY}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${total}\r\n\r\n`;
    const result = await exchange(url(), head, piece, total);
    expect(statusOf(result.response)).toBe(413);
    expect(result.response).toMatch(/"code":"payload_too_large"/);
    expect(result.response.toLowerCase()).toContain('connection: close');
    expect(result.bodyBytesSent).toBeLessThan(1024 * 1024);
  });

  it("a chunk over the chunk route's own limit is refused the same way (raw and multipart)", async () => {
    const session = await stack.client().createSession({});
    for (const type of ['audio/wav', 'multipart/form-data; boundary=b']) {
      const total = 60 * 1024 * 1024;
      const head =
        `POST /api/sessions/${session.session_id}/audio HTTP/1.1\r\nHost: x\r\nX-API-Key: ${TENANT_A_KEY}\r\n` +
        `Content-Type: ${type}\r\nContent-Length: ${total}\r\n\r\n`;
      const result = await exchange(url(), head, piece, total);
      expect(statusOf(result.response)).toBe(413);
      expect(result.bodyBytesSent).toBeLessThan(1024 * 1024);
    }
  });

  it('a streamed (chunked) multipart upload stops at the limit with a 413, not at its end', async () => {
    const total = 8 * 1024 * 1024;
    const head =
      `POST /api/audio/upload HTTP/1.1\r\nHost: x\r\nX-API-Key: ${TENANT_A_KEY}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const partHead = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n',
    );
    const chunk = (data: Buffer) =>
      Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const result = await exchange(url(), head + chunk(partHead).toString('latin1'), chunk(piece), total);
    expect(statusOf(result.response)).toBe(413);
    expect(result.bodyBytesSent).toBeLessThan(2 * 1024 * 1024);
  });

  it('a route refuses media types it does not take with 415, and takes its own', async () => {
    const headers = { 'x-api-key': TENANT_A_KEY };
    const form = new FormData();
    form.set('source_language', 'en');
    const multipart = await fetch(`${url()}/api/sessions`, { method: 'POST', headers, body: form });
    expect(multipart.status).toBe(415);
    expect(((await multipart.json()) as { error: { code: string } }).error.code).toBe(
      'unsupported_media_type',
    );
    const text = await fetch(`${url()}/api/sessions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const json = await fetch(`${url()}/api/sessions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ target_languages: ['es'] }),
    });
    expect(json.status).toBe(201);
    const session = (await json.json()) as { session_id: string };
    const wav = await fetch(`${url()}/api/sessions/${session.session_id}/audio`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'audio/wav' },
      body: speechWav(SENTENCE.slice(0, 2)),
    });
    expect(wav.status).toBe(202);
    const jsonAudio = await fetch(`${url()}/api/sessions/${session.session_id}/audio`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(jsonAudio.status).toBe(415);
  });

  it('a sender that never finishes its headers is cut off', async () => {
    const { hostname, port } = new URL(url());
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    socket.write('POST /api/sessions HTTP/1.1\r\nHost: x\r\n');
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // Node answers 408 before closing when it can.
    expect(response === '' || statusOf(response) === 408).toBe(true);
  });
});
