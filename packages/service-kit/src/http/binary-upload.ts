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
 * text fields), or the raw body with the query string as fields.
 */
export async function readBinaryUpload(
  request: FastifyRequest,
  fileFields: readonly string[],
): Promise<BinaryUpload> {
  const query = Object.fromEntries(
    Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  if (request.isMultipart()) {
    const fields: Record<string, string> = { ...query };
    let file: Omit<BinaryUpload, 'fields'> | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (!fileFields.includes(part.fieldname)) {
          await part.toBuffer(); // drain it so the request can finish
          throw new ApiError(
            400,
            'unexpected_file',
            `unexpected file field "${part.fieldname}" (expected ${fileFields.join(' or ')})`,
          );
        }
        file = { bytes: await part.toBuffer(), contentType: part.mimetype, filename: part.filename };
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
