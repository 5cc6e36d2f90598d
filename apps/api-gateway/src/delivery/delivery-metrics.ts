import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter, Gauge } from 'prom-client';

/** What the gateway counts about delivering session logs to clients. */
@Injectable()
export class DeliveryMetrics {
  readonly openSockets: Gauge;
  readonly eventsDelivered: Counter<'channel'>;
  readonly socketCloses: Counter<'outcome'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.openSockets = new Gauge({
      name: 'livetranslate_websocket_connections_open',
      help: 'Open WebSocket connections',
      registers,
    });
    this.eventsDelivered = new Counter({
      name: 'livetranslate_session_events_delivered_total',
      help: 'Session log events sent to clients, by channel (websocket, sse)',
      labelNames: ['channel'],
      registers,
    });
    this.socketCloses = new Counter({
      name: 'livetranslate_websocket_closes_total',
      help: 'WebSocket connections closed, by outcome (normal, refused: 4xxx codes, error: 1011 and abnormal)',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** normal (1000, 1001, 1005), refused (the gateway's 4xxx codes: bad key, session, audio, rate), error. */
  static closeOutcome(code: number): 'normal' | 'refused' | 'error' {
    if (code === 1000 || code === 1001 || code === 1005) return 'normal';
    return code >= 4000 && code < 5000 ? 'refused' : 'error';
  }
}
