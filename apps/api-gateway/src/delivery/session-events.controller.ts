import {
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { EVENT_TYPES } from '@livetranslate/contracts';
import { compareStreamIds } from '@livetranslate/redis-streams';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantId } from '../auth/api-key.guard.js';
import { SessionAccess } from '../sessions/session-access.js';
import { SessionFeed } from './session-feed.js';
import { isStreamId } from './stream-ids.js';
import { TranscriptService } from './transcript.service.js';

const HEARTBEAT_MS = 15_000;

@ApiTags('results')
@ApiSecurity('api-key')
@Controller('api/sessions/:id')
export class SessionEventsController implements BeforeApplicationShutdown {
  /** Open event streams, ended on shutdown: their clients reconnect (to any replica) and resume. */
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly sessions: SessionAccess,
    private readonly feed: SessionFeed,
    private readonly transcripts: TranscriptService,
  ) {}

  @Get('events')
  @ApiOperation({
    summary: 'Server-Sent Events of the session log; resumes after Last-Event-ID',
    description:
      'The stream ends after the SessionCompleted event; asking again from its id (or later) answers 204, which stops EventSource.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'last_event_id', required: false })
  async events(
    @TenantId() tenantId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('last_event_id') lastEventQuery: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.find(tenantId, id);
    const lastId = [lastEventHeader, lastEventQuery].find(isStreamId) ?? '0-0';
    // A client that saw the session complete has everything: 204 tells EventSource to stop
    // reconnecting (the stream it had was ended after SessionCompleted).
    const completed = await this.feed.completedAt(id);
    if (completed && compareStreamIds(lastId, completed) >= 0) {
      reply.status(204).send();
      return;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    // Tracked from the first byte, so a shutdown that starts while the log is being read ends it too.
    this.open.add(raw);
    const subscription: { stop?: () => void; closed?: boolean } = {};
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    raw.on('close', () => {
      subscription.closed = true;
      this.open.delete(raw);
      clearInterval(heartbeat);
      subscription.stop?.();
    });
    raw.on('error', () => undefined); // 'close' follows
    raw.write(': connected\n\n');
    subscription.stop = await this.feed.follow(id, lastId, 'sse', (event) => {
      if (raw.writableEnded) return;
      // A draft has no log id: without an `id:` line, EventSource keeps the last one to resume from.
      const id = event.id ? `id: ${event.id}\n` : '';
      raw.write(`${id}event: ${event.event_type}\ndata: ${JSON.stringify(event)}\n\n`);
      // The session's last event: the stream ends with it.
      if (event.event_type === EVENT_TYPES.SessionCompleted) raw.end();
    });
    if (subscription.closed) subscription.stop();
  }

  @Get('transcript')
  @ApiOperation({ summary: 'The transcript and translations assembled so far' })
  async transcript(@TenantId() tenantId: string, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.transcripts.build(await this.sessions.find(tenantId, id));
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Waits until each goodbye is flushed: closing the server destroys idle sockets, and a socket
    // destroyed with the last chunk still buffered ends the client's stream as an error.
    await Promise.all(
      [...this.open].map(
        (raw) =>
          new Promise<void>((resolve) => {
            raw.once('close', () => resolve());
            // `retry` asks EventSource to come back soon; it resumes from the Last-Event-ID it holds.
            raw.end(': server shutting down; reconnect with Last-Event-ID\nretry: 500\n\n', () => resolve());
          }),
      ),
    );
  }
}
