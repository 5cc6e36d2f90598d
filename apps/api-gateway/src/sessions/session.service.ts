import { Inject, Injectable } from '@nestjs/common';
import { newSessionId, resultEventId } from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { ApiError } from '@livetranslate/service-kit';
import { RESULT_SLOTS, SessionEventLog } from '@livetranslate/session-store';
import { CreateSessionDto, SESSION_DEFAULTS, type SessionOptions, type SessionView } from './session.dto.js';
import { LiveInputs } from './live-inputs.js';
import { SessionRepository, type SessionRecord } from './session.repository.js';

@Injectable()
export class SessionService {
  constructor(
    private readonly repository: SessionRepository,
    private readonly inputs: LiveInputs,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    private readonly publisher: StreamEventPublisher,
  ) {}

  async create(tenantId: string, request: CreateSessionDto): Promise<SessionRecord> {
    const options: SessionOptions = { ...SESSION_DEFAULTS, ...stripUndefined(request) };
    if (options.overlap_ms * 2 > options.chunk_ms) {
      throw new ApiError(
        400,
        'invalid_overlap',
        `overlap_ms (${options.overlap_ms}) must be at most half of chunk_ms (${options.chunk_ms})`,
      );
    }
    options.target_languages = [...new Set(options.target_languages)];
    const id = newSessionId();
    if (!(await this.repository.create(id, tenantId, options))) {
      throw new ApiError(
        429,
        'too_many_sessions',
        'this tenant has reached its limit of open sessions; end one first',
      );
    }
    return (await this.repository.get(id))!;
  }

  /** The session if it exists and belongs to the tenant; another tenant's session is a 404 too. */
  async find(tenantId: string, id: string): Promise<SessionRecord> {
    const session = await this.repository.get(id);
    if (!session || session.tenantId !== tenantId)
      throw new ApiError(404, 'session_not_found', `session ${id} not found`);
    return session;
  }

  /** Ends the input: buffered audio becomes a last chunk; chunks already sent still finish. */
  async end(tenantId: string, id: string, reason: string): Promise<SessionRecord> {
    const session = await this.find(tenantId, id);
    if (session.status === 'open') await this.inputs.flush(id);
    const ended = await this.repository.end(id, tenantId);
    if (ended?.closedNow) {
      const envelope = this.publisher.envelope(
        'SessionEnded',
        { session_id: id, total_chunks: ended.chunks, reason },
        { eventId: resultEventId(id, RESULT_SLOTS.ended) },
      );
      await this.log.appendOnce(id, RESULT_SLOTS.ended, envelope);
      await this.publisher.publishEnvelope(envelope);
    }
    return (await this.repository.get(id)) ?? session;
  }

  view(session: SessionRecord, baseUrl: string): SessionView {
    const http = `${baseUrl}/api/sessions/${session.id}`;
    return {
      session_id: session.id,
      status: session.status,
      created_at: session.createdAt,
      chunks: session.chunks,
      options: session.options,
      urls: {
        websocket: `${baseUrl.replace(/^http/, 'ws')}/ws/sessions/${session.id}`,
        events: `${http}/events`,
        audio: `${http}/audio`,
        transcript: `${http}/transcript`,
      },
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
