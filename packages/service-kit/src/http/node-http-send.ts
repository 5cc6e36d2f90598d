import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isMultipartBody, type HttpSend, type MultipartBody } from '@livetranslate/contracts';

// Keep-alive pools shared by every model-service client of the process.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * The model services' HTTP client in the apps: Node's own `http` on keep-alive pools. `fetch` does
 * the same work through web streams, Blobs and AbortSignal plumbing, several times the CPU per call
 * (measured: ~365–900 µs against ~70–150 µs for the same 64 KB POST), on the hottest path there is
 * (two model calls per chunk). Multipart bodies are encoded here (RFC 7578).
 */
export const nodeHttpSend: HttpSend = async ({ url, method, headers, body, signal }) => {
  const outgoing: Record<string, string> = { ...headers };
  let payload: Uint8Array[] = [];
  if (isMultipartBody(body)) {
    const encoded = encodeMultipart(body);
    payload = encoded.parts;
    outgoing['content-type'] = encoded.contentType;
  } else if (typeof body === 'string') {
    payload = [Buffer.from(body)];
  } else if (body) {
    payload = [body];
  }
  if (body !== undefined)
    outgoing['content-length'] = String(payload.reduce((sum, part) => sum + part.byteLength, 0));
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      { method, headers: outgoing, agent: agents[url.protocol as keyof typeof agents] },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          signal.removeEventListener('abort', abort);
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    function fail(error: Error): void {
      signal.removeEventListener('abort', abort);
      reject(error);
    }
    function abort(): void {
      request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal.addEventListener('abort', abort, { once: true });
    request.on('error', fail);
    // Parts go out as they are (the audio is not copied into one body); corked, in one write.
    request.cork();
    for (const part of payload) request.write(part);
    request.end();
  });
};

// Random per process, unique per body: a boundary only has to be absent from the parts it frames.
const BOUNDARY_PREFIX = `----LiveTranslate${randomBytes(8).toString('hex')}`;
let bodies = 0;

/**
 * `multipart/form-data` as browsers send it: files, then text fields, under one boundary. Returns
 * the body as parts, the files' bytes among them uncopied.
 */
export function encodeMultipart(form: MultipartBody): { parts: Uint8Array[]; contentType: string } {
  const boundary = `${BOUNDARY_PREFIX}${(bodies++).toString(36)}`;
  const parts: Uint8Array[] = [];
  for (const file of form.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.filename)}"\r\n` +
          `Content-Type: ${file.type || 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  let text = '';
  for (const [name, value] of Object.entries(form.fields)) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  parts.push(Buffer.from(`${text}--${boundary}--\r\n`));
  return { parts, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Field and file names escaped as the HTML standard does for multipart. */
function quote(name: string): string {
  return name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
