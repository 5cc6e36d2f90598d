import type { RawEnvelope } from '@livetranslate/contracts';

/** One delivery of a validated event to a handler. */
export interface DeliveredEvent {
  stream: string;
  entryId: string;
  group: string;
  consumer: string;
  /** 1 on first delivery; grows with every redelivery or takeover. */
  deliveries: number;
  envelope: RawEnvelope;
  /** The payload as an instance of its contracts class. */
  payload: object;
}

export type EventHandlerFn = (event: DeliveredEvent) => Promise<unknown>;

/** Finds the handler for an event type; none means "not ours": ack and skip. */
export type HandlerResolver = (eventType: string) => EventHandlerFn | undefined;
