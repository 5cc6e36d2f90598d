import { Injectable } from '@nestjs/common';
import { ApiError, ConfigFollower, readBinaryUpload } from '@livetranslate/service-kit';
import type { FastifyRequest } from 'fastify';

/** Multipart fields that may hold the audio file. */
export const FILE_FIELDS = ['file', 'audio'] as const;

/** Reads an audio body (multipart or raw) under the route's cap and the tenant's configured upload limit. */
@Injectable()
export class UploadReader {
  constructor(private readonly config: ConfigFollower) {}

  async read(tenantId: string, request: FastifyRequest, routeLimit: number) {
    const limit = Math.min(routeLimit, this.config.effective(tenantId).limits.max_upload_bytes);
    const upload = await readBinaryUpload(request, FILE_FIELDS, limit);
    if (upload.bytes.length > limit) {
      throw new ApiError(
        413,
        'payload_too_large',
        `the audio is ${upload.bytes.length} bytes; the limit is ${limit}`,
      );
    }
    return upload;
  }
}
