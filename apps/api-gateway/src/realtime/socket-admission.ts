import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { SessionRecord } from '@livetranslate/ingest';
import { ApiError } from '@livetranslate/service-kit';
import { ApiKeys } from '../auth/api-keys.js';
import { KeyRateLimit, RateLimitedError } from '../auth/key-rate-limit.js';
import { isStreamId } from '../delivery/stream-ids.js';
import { baseUrlOf } from '../sessions/base-url.js';
import { SessionAccess } from '../sessions/session-access.js';
import { CLOSE_CODES } from './close-codes.js';

const SESSION_PATH = /^\/ws\/sessions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export type Admission =
  | { ok: true; session: SessionRecord; lastEventId: string; baseUrl: string }
  | { ok: false; code: number; reason: string };

/**
 * Decides whether an upgraded WebSocket may follow a session: a known API key, and a session its
 * tenant may see (SessionAccess, the same check as HTTP and SSE). Also reads where to resume.
 */
@Injectable()
export class SocketAdmission {
  constructor(
    private readonly keys: ApiKeys,
    private readonly access: SessionAccess,
    private readonly rateLimit: KeyRateLimit,
  ) {}

  async admit(request: Pick<IncomingMessage, 'url' | 'headers'>): Promise<Admission> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const caller = this.keys.callerOf(ApiKeys.keyFrom(request.headers, url.searchParams));
    if (!caller) {
      return {
        ok: false,
        code: CLOSE_CODES.unauthorized,
        reason: 'API key required (Authorization, X-API-Key or ?token=) or not recognised',
      };
    }
    try {
      await this.rateLimit.consume(caller);
    } catch (error) {
      if (error instanceof RateLimitedError)
        return { ok: false, code: CLOSE_CODES.rateLimited, reason: error.message };
      throw error;
    }
    const sessionId = url.pathname.match(SESSION_PATH)?.[1]?.toLowerCase();
    if (!sessionId) return { ok: false, code: CLOSE_CODES.notFound, reason: 'session not found' };
    let session: SessionRecord;
    try {
      session = await this.access.find(caller.tenantId, sessionId);
    } catch (error) {
      if (error instanceof ApiError && error.getStatus() === 404) {
        return { ok: false, code: CLOSE_CODES.notFound, reason: 'session not found' };
      }
      throw error;
    }
    const header = request.headers['last-event-id'];
    const lastEventId =
      [url.searchParams.get('last_event_id') ?? undefined, Array.isArray(header) ? header[0] : header].find(
        isStreamId,
      ) ?? '0-0';
    return { ok: true, session, lastEventId, baseUrl: baseUrlOf({ headers: request.headers }) };
  }
}
