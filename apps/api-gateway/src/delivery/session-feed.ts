import { Injectable } from '@nestjs/common';
import { toClientEvent, type ClientEvent } from './client-event.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { SessionLogFanout } from './session-log-fanout.js';

export type DeliveryChannel = 'websocket' | 'sse';

/** A session's log as clients receive it, whatever the channel: client events, counted. */
@Injectable()
export class SessionFeed {
  constructor(
    private readonly fanout: SessionLogFanout,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** Sends every event after `lastId` (exclusive; `0-0` for all), then live ones. Returns stop. */
  follow(
    sessionId: string,
    lastId: string,
    channel: DeliveryChannel,
    send: (event: ClientEvent) => void,
  ): Promise<() => void> {
    return this.fanout.subscribe(sessionId, lastId, (entry) => {
      send(toClientEvent(entry));
      this.metrics.eventsDelivered.inc({ channel });
    });
  }
}
