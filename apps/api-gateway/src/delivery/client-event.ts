import type { LogEntry } from '@livetranslate/session-store';

/** A session log entry as clients receive it over WebSocket and SSE. */
export interface ClientEvent {
  /** The log position: send it back as `Last-Event-ID` / `last_event_id` to resume after it. */
  id: string;
  event_type: string;
  event_id: string;
  timestamp: string;
  payload: unknown;
}

export function toClientEvent(entry: LogEntry): ClientEvent {
  return {
    id: entry.id,
    event_type: entry.envelope.event_type,
    event_id: entry.envelope.event_id,
    timestamp: entry.envelope.timestamp,
    payload: entry.envelope.payload,
  };
}
