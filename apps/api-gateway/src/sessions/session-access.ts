import { Injectable } from '@nestjs/common';
import { SessionRepository, type SessionRecord } from '@livetranslate/ingest';
import { ApiError } from '@livetranslate/service-kit';

/** Whether `tenantId` may see `session`: only its own tenant may, and a missing session is no one's. */
export function isVisibleTo(session: SessionRecord | null, tenantId: string): session is SessionRecord {
  return session !== null && session.tenantId === tenantId;
}

/**
 * The one place that decides whether a caller may touch a session, for HTTP, SSE and WebSocket
 * alike. Another tenant's session answers exactly like a missing one, so ids leak nothing.
 */
@Injectable()
export class SessionAccess {
  constructor(private readonly repository: SessionRepository) {}

  async find(tenantId: string, id: string): Promise<SessionRecord> {
    const session = await this.repository.get(id);
    if (!isVisibleTo(session, tenantId))
      throw new ApiError(404, 'session_not_found', `session ${id} not found`);
    return session;
  }
}
