import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LiveInputs, LiveStreams } from '@livetranslate/ingest';
import { redactUrl, startServerSpan } from '@livetranslate/service-kit';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { DeliveryMetrics } from '../delivery/delivery-metrics.js';
import { SessionFeed } from '../delivery/session-feed.js';
import { SessionService } from '../sessions/session.service.js';
import { CLOSE_CODES } from './close-codes.js';
import { SocketAdmission } from './socket-admission.js';
import { SessionSocket } from './session-socket.js';

const WS_PATH = /^\/ws\/sessions\/[^/]*$/;

/**
 * `WS /ws/sessions/:id` on the gateway's own HTTP server (plain `ws`: one small object per idle
 * connection). Admission happens after the upgrade so every refusal reaches the client as a close
 * code and reason, which browsers can read.
 */
@Injectable()
export class SessionSocketServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSocketServer.name);
  private readonly accessLog = new Logger('access');
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<SessionSocket>();
  private keepAlive?: NodeJS.Timeout;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
    private readonly admission: SocketAdmission,
    private readonly sessions: SessionService,
    private readonly liveStreams: LiveStreams,
    private readonly inputs: LiveInputs,
    private readonly feed: SessionFeed,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: env.MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (!WS_PATH.test(path)) {
        socket.end(
          'HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"code":"not_found","message":"no WebSocket route here; use /ws/sessions/:id"}}',
        );
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, request));
    });
    this.keepAlive = setInterval(() => this.pingAll(), this.env.WS_PING_INTERVAL_MS);
    this.keepAlive.unref();
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /**
   * The connection's server span, child of the client's trace: the `traceparent` header, or the
   * `traceparent` query parameter for browsers (they cannot set headers on a WebSocket).
   */
  private openSpan(ws: WebSocket, request: IncomingMessage) {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const carrier = { traceparent: request.headers.traceparent ?? url.searchParams.get('traceparent') ?? '' };
    const requestId = String(request.headers['x-request-id'] ?? randomUUID());
    const { span, context: active } = startServerSpan('WS /ws/sessions/:id', carrier, requestId, {
      'url.path': url.pathname,
    });
    const opened = performance.now();
    ws.once('close', (code) => {
      span.setAttribute('websocket.close_code', code);
      this.metrics.socketCloses.inc({ outcome: DeliveryMetrics.closeOutcome(code) });
      if (code === CLOSE_CODES.internal) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      // The access log's line for a WebSocket: written when it closes, like a response.
      const seconds = ((performance.now() - opened) / 1000).toFixed(1);
      context.with(active, () =>
        this.accessLog.log(`WS ${redactUrl(request.url ?? '')} closed ${code} after ${seconds}s`),
      );
    });
    return active;
  }

  private async accept(ws: WebSocket, request: IncomingMessage): Promise<void> {
    // Hold incoming frames while the key and session are checked: a client may send at once.
    ws.pause();
    const traceContext = this.openSpan(ws, request);
    const refuse = (code: number, reason: string) => {
      ws.resume(); // the close handshake needs the peer's answer read
      ws.send(JSON.stringify({ type: 'error', code, message: reason }));
      ws.close(code, reason);
    };
    try {
      const admitted = await this.admission.admit(request);
      if (!admitted.ok) return refuse(admitted.code, admitted.reason);
      const { baseUrl, lastEventId } = admitted;
      let session = admitted.session;
      if (lastEventId !== '0-0' && session.status === 'open') {
        // A client resuming after a lost connection resends its audio after the session's stored
        // `audio_ms`: what its old input still holds (here, or on a replica that has not noticed the
        // loss) is stored first, so the greeting counts it and nothing is sent twice or lost; its
        // end is repeated by this input's first chunk, so a word cut there is counted once.
        await this.inputs.flush(session.id, 'handover');
        session = await this.sessions.find(session.tenantId, session.id);
      }
      // Each stored chunk is acknowledged on the socket: the client knows which audio is safe.
      // (The callback runs only after `socket` exists: chunks are stored after frames arrive.)
      const input = this.liveStreams.open(session, 'websocket', {
        onStored: (chunk) => socket.chunkStored(chunk),
      });
      const socket = new SessionSocket(
        ws,
        session,
        this.sessions.view(session, baseUrl),
        input,
        (after, send) => this.feed.follow(session.id, after, 'websocket', send),
        traceContext,
      );
      this.sockets.add(socket);
      this.metrics.openSockets.inc();
      ws.on('close', () => {
        this.sockets.delete(socket);
        this.metrics.openSockets.dec();
        void socket.onClosed();
      });
      socket.start(lastEventId);
      ws.resume();
    } catch (error) {
      this.logger.error(`WebSocket accept failed: ${(error as Error).message}`);
      refuse(CLOSE_CODES.internal, 'internal error');
    }
  }

  /** Closes connections that missed a pong since the last ping. */
  private pingAll(): void {
    for (const socket of this.sockets) {
      if (!socket.alive) {
        socket.terminate();
        continue;
      }
      socket.alive = false;
      socket.ping();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.keepAlive);
    await Promise.all([...this.sockets].map((socket) => socket.shutdown()));
    this.wss.close();
  }
}
