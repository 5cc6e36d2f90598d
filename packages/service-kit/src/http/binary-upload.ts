import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

export interface BinaryUpload {
  bytes: Buffer;
  /** The file part's or the request's content type. */
  contentType?: string;
  filename?: string;
  /** Multipart text fields, or the query string for a raw body. */
  fields: Record<string, string>;
}

/**
 * Accepts binary bodies on this app: multipart with one file part, or a raw body typed
 * `application/octet-stream` or `audio/*`. Both stop at `maxBytes` with a 413.
 */
export async function acceptBinaryUploads(app: NestFastifyApplication, maxBytes: number): Promise<void> {
  await app.register(multipart as never, {
    limits: { fileSize: maxBytes, files: 1, fields: 32, fieldSize: 64 * 1024 },
  });
  const fastify = app.getHttpAdapter().getInstance();
  for (const type of ['application/octet-stream', /^audio\//] as const) {
    fastify.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );
  }
}

/**
 * Reads the upload of a request: the multipart part named one of `fileFields` (other parts are
 * text fields), or the raw body with the query string as fields. A file part stops at `maxBytes`
 * (413) as it streams; raw bodies are bounded by the route's body limit before they are read.
 */
export async function readBinaryUpload(
  request: FastifyRequest,
  fileFields: readonly string[],
  maxBytes?: number,
): Promise<BinaryUpload> {
  const query = Object.fromEntries(
    Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  if (request.isMultipart()) {
    const fields: Record<string, string> = { ...query };
    let file: Omit<BinaryUpload, 'fields'> | undefined;
    // One byte over the limit reaches readBounded, which refuses at once; busboy alone would only
    // say so when the part ends.
    for await (const part of request.parts(maxBytes ? { limits: { fileSize: maxBytes + 1 } } : undefined)) {
      if (part.type === 'file') {
        if (!fileFields.includes(part.fieldname)) {
          await part.toBuffer(); // drain it so the request can finish
          throw new ApiError(
            400,
            'unexpected_file',
            `unexpected file field "${part.fieldname}" (expected ${fileFields.join(' or ')})`,
          );
        }
        file = {
          bytes: await readBounded(part.file, maxBytes),
          contentType: part.mimetype,
          filename: part.filename,
        };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    if (!file) throw new ApiError(400, 'missing_file', `multipart body has no "${fileFields[0]}" file part`);
    return { ...file, fields };
  }
  if (!Buffer.isBuffer(request.body)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'send audio as multipart/form-data, application/octet-stream or audio/* (e.g. audio/wav)',
    );
  }
  const contentType = request.headers['content-type'];
  return { bytes: request.body, ...(contentType ? { contentType } : {}), fields: query };
}

/** A file part's bytes, refused (413) the moment they pass `maxBytes` rather than when the part ends. */
async function readBounded(stream: AsyncIterable<Buffer>, maxBytes?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const data of stream) {
    size += data.length;
    if (maxBytes !== undefined && size > maxBytes)
      throw new ApiError(413, 'payload_too_large', `the file is over the limit of ${maxBytes} bytes`);
    chunks.push(data);
  }
  return Buffer.concat(chunks);
}
