import { Injectable } from '@nestjs/common';
import {
  IngestQueue,
  SessionLifecycle,
  SessionRepository,
  sessionState,
  type SessionRecord,
} from '@livetranslate/ingest';
import { nextCursorOf } from './page-query.js';
import type { CreateSessionDto, ListSessionsQuery, SessionList, SessionView } from './session.dto.js';
import { SupportedLanguages } from '../languages/supported-languages.js';
import { WebhookUrls } from '../webhooks/webhook-urls.js';
import { SessionAccess } from './session-access.js';

/** Sessions as the API shows them: tenant-scoped, with the URLs to stream to and read from. */
@Injectable()
export class SessionService {
  constructor(
    private readonly access: SessionAccess,
    private readonly lifecycle: SessionLifecycle,
    private readonly queue: IngestQueue,
    private readonly repository: SessionRepository,
    private readonly languages: SupportedLanguages,
    private readonly webhooks: WebhookUrls,
  ) {}

  async create(tenantId: string, request: CreateSessionDto): Promise<SessionRecord> {
    await this.languages.check(request);
    await this.webhooks.check(request.webhook_url);
    return this.lifecycle.open(tenantId, request);
  }

  /** The session if it exists and belongs to the tenant; another tenant's session is a 404 too. */
  find(tenantId: string, id: string): Promise<SessionRecord> {
    return this.access.find(tenantId, id);
  }

  /** Ends the input: buffered audio becomes a last chunk; chunks already sent still finish. */
  async end(tenantId: string, id: string, reason: string): Promise<SessionRecord> {
    return this.lifecycle.end(await this.access.find(tenantId, id), reason);
  }

  /** The tenant's sessions, newest first, optionally in one state. */
  async list(tenantId: string, query: ListSessionsQuery, baseUrl: string): Promise<SessionList> {
    const page = await this.repository.list(tenantId, {
      state: query.state,
      limit: query.limit ?? 20,
      cursor: query.cursor === undefined ? undefined : Number(query.cursor),
    });
    return {
      sessions: page.sessions.map((session) => this.view(session, baseUrl)),
      next_cursor: nextCursorOf(page.nextCursor),
    };
  }

  /** The view with, while chunks are still processing, the ingest queue they wait in. */
  async detail(session: SessionRecord, baseUrl: string): Promise<SessionView> {
    const view = this.view(session, baseUrl);
    if (view.progress.chunks_processing > 0) view.progress.ingest_queue = await this.queue.of(session.id);
    return view;
  }

  view(session: SessionRecord, baseUrl: string): SessionView {
    const http = `${baseUrl}/api/sessions/${session.id}`;
    return {
      session_id: session.id,
      status: session.status,
      state: sessionState(session),
      created_at: session.createdAt,
      chunks: session.chunks,
      audio_ms: session.timelineMs,
      options: session.options,
      progress: {
        chunks_accepted: session.chunks,
        chunks_completed: session.chunksDone - session.chunksFailed,
        chunks_failed: session.chunksFailed,
        chunks_processing: Math.max(0, session.chunks - session.chunksDone),
        complete: sessionState(session) === 'completed',
      },
      urls: {
        websocket: `${baseUrl.replace(/^http/, 'ws')}/ws/sessions/${session.id}`,
        events: `${http}/events`,
        audio: `${http}/audio`,
        transcript: `${http}/transcript`,
      },
    };
  }
}
