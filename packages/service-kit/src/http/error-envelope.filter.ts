import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, defaultErrorCode, type ErrorBody } from './api-error.js';

interface FastifyErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Every error leaves as `{ "error": { code, message, details? }, "request_id" }` with the right
 * status, whether it came from our code, Nest's validation pipe, or Fastify itself (bad JSON, body
 * too large, wrong content type). Unexpected errors are logged and answered with a 500 that leaks
 * nothing.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = toErrorResponse(exception, String(request.id));
    if (status >= 500)
      this.logger.error(`${request.method} ${request.url} → ${status}: ${describe(exception)}`);
    // A body refused for its size may still be arriving: close rather than read the rest of it.
    if (status === 413) void reply.header('connection', 'close');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

/** Maps any thrown value to the status and JSON error body the API answers with. */
export function toErrorResponse(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
  {
    if (exception instanceof ApiError) {
      return {
        status: exception.getStatus(),
        body: {
          error: {
            code: exception.code,
            message: exception.message,
            ...(exception.details === undefined ? {} : { details: exception.details }),
          },
          request_id: requestId,
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      let details: unknown;
      if (typeof response === 'object' && response !== null) {
        const r = response as { message?: unknown; code?: string };
        // Nest's ValidationPipe reports an array of messages: keep them all as details.
        if (Array.isArray(r.message)) {
          details = r.message;
          message = `invalid request: ${r.message.join('; ')}`;
        } else if (typeof r.message === 'string') {
          message = r.message;
        }
      }
      return {
        status,
        body: {
          error: { code: defaultErrorCode(status), message, ...(details ? { details } : {}) },
          request_id: requestId,
        },
      };
    }
    const fastify = exception as FastifyErrorLike;
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return {
        status: fastify.statusCode,
        body: {
          error: { code: fastifyCode(fastify), message: fastify.message ?? 'bad request' },
          request_id: requestId,
        },
      };
    }
    return {
      status: 500,
      body: { error: { code: 'internal_error', message: 'internal error' }, request_id: requestId },
    };
  }
}

function fastifyCode(error: FastifyErrorLike): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid_json';
    default:
      return defaultErrorCode(error.statusCode ?? 400);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
