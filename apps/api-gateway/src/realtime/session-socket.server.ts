import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiKeys } from '../auth/api-keys.js';
import { AudioIngest } from '../audio/audio-ingest.service.js';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { SessionLogFanout } from '../delivery/session-log-fanout.js';
import { isStreamId } from '../delivery/stream-ids.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { LiveInputs } from '../sessions/live-inputs.js';
import { SessionRepository } from '../sessions/session.repository.js';
import { SessionService } from '../sessions/session.service.js';
import { CLOSE_CODES } from './close-codes.js';
import { SessionSocket } from './session-socket.js';

const SESSION_PATH = /^\/ws\/sessions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const WS_PATH = /^\/ws\/sessions\/[^/]*$/;

/**
 * `WS /ws/sessions/:id` on the gateway's own HTTP server (plain `ws`: one small object per idle
 * connection). Authentication and session checks happen after the upgrade so every refusal reaches
 * the client as a close code and reason, which browsers can read.
 */
@Injectable()
export class SessionSocketServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSocketServer.name);
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<SessionSocket>();
  private keepAlive?: NodeJS.Timeout;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: ApiKeys,
    private readonly repository: SessionRepository,
    private readonly sessions: SessionService,
    private readonly ingest: AudioIngest,
    private readonly fanout: SessionLogFanout,
    private readonly inputs: LiveInputs,
    private readonly metrics: GatewayMetrics,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: env.MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
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

  private async accept(ws: WebSocket, request: IncomingMessage): Promise<void> {
    // Hold incoming frames while the key and session are checked: a client may send at once.
    ws.pause();
    const url = new URL(request.url ?? '/', 'http://gateway');
    const refuse = (code: number, reason: string) => {
      ws.resume(); // the close handshake needs the peer's answer read
      ws.send(JSON.stringify({ type: 'error', code, message: reason }));
      ws.close(code, reason);
    };
    try {
      const tenantId = this.keys.tenantOf(ApiKeys.keyFrom(request.headers, url.searchParams));
      if (!tenantId)
        return refuse(
          CLOSE_CODES.unauthorized,
          'API key required (Authorization, X-API-Key or ?token=) or not recognised',
        );
      const sessionId = url.pathname.match(SESSION_PATH)?.[1];
      const session = sessionId ? await this.repository.get(sessionId.toLowerCase()) : null;
      if (!session || session.tenantId !== tenantId) return refuse(CLOSE_CODES.notFound, 'session not found');
      const header = request.headers['last-event-id'];
      const lastEventId =
        [url.searchParams.get('last_event_id') ?? undefined, Array.isArray(header) ? header[0] : header].find(
          isStreamId,
        ) ?? '0-0';
      const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      const socket = new SessionSocket(ws, session, `${proto}://${request.headers.host ?? 'localhost'}`, {
        ingest: this.ingest,
        fanout: this.fanout,
        sessions: this.sessions,
        inputs: this.inputs,
        metrics: this.metrics,
      });
      this.sockets.add(socket);
      this.metrics.openSockets.inc();
      ws.on('close', () => this.sockets.delete(socket));
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
