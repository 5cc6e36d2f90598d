import { Inject, Injectable } from '@nestjs/common';
import { RESULT_SLOTS, SessionEventLog } from '@livetranslate/session-store';
import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { toClientEvent, type ClientEvent } from './client-event.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { SessionLogFanout } from './session-log-fanout.js';

const tracer = trace.getTracer('api-gateway');

export type DeliveryChannel = 'websocket' | 'sse';

/** A session's log as clients receive it, whatever the channel: client events, counted. */
@Injectable()
export class SessionFeed {
  constructor(
    private readonly fanout: SessionLogFanout,
    private readonly metrics: DeliveryMetrics,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
  ) {}

  /** The log id of the session's SessionCompleted, once it is written. */
  async completedAt(sessionId: string): Promise<string | null> {
    return this.log.slotId(sessionId, RESULT_SLOTS.completed);
  }

  /** Sends every event after `lastId` (exclusive; `0-0` for all), then live ones. Returns stop. */
  follow(
    sessionId: string,
    lastId: string,
    channel: DeliveryChannel,
    send: (event: ClientEvent) => void,
  ): Promise<() => void> {
    return this.fanout.subscribe(sessionId, lastId, (entry) => {
      // Delivery is the last span of the result's trace (the worker's log append is its parent).
      const traceparent = entry.envelope.traceparent;
      const span = tracer.startSpan(
        `deliver ${entry.envelope.event_type}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'livetranslate.session_id': sessionId, 'livetranslate.channel': channel },
        },
        propagation.extract(ROOT_CONTEXT, traceparent ? { traceparent } : {}),
      );
      try {
        send(toClientEvent(entry));
      } finally {
        span.end();
      }
      this.metrics.eventsDelivered.inc({ channel });
    });
  }
}
