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
  @ApiOperation({ summary: 'Server-Sent Events of the session log; resumes after Last-Event-ID' })
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
      raw.write(`id: ${event.id}\nevent: ${event.event_type}\ndata: ${JSON.stringify(event)}\n\n`);
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
