import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter, Gauge } from 'prom-client';

@Injectable()
export class GatewayMetrics {
  readonly openSockets: Gauge;
  readonly chunksPublished: Counter<'source'>;
  readonly eventsDelivered: Counter<'channel'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.openSockets = new Gauge({
      name: 'websocket_connections_open',
      help: 'Open WebSocket connections',
      registers,
    });
    this.chunksPublished = new Counter({
      name: 'audio_chunks_published_total',
      help: 'AudioChunkReceived events published, by audio source',
      labelNames: ['source'],
      registers,
    });
    this.eventsDelivered = new Counter({
      name: 'session_events_delivered_total',
      help: 'Session log events sent to clients, by channel (websocket, sse)',
      labelNames: ['channel'],
      registers,
    });
  }
}
