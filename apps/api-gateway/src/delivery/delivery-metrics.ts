import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter, Gauge } from 'prom-client';

/** What the gateway counts about delivering session logs to clients. */
@Injectable()
export class DeliveryMetrics {
  readonly openSockets: Gauge;
  readonly eventsDelivered: Counter<'channel'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.openSockets = new Gauge({
      name: 'websocket_connections_open',
      help: 'Open WebSocket connections',
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
