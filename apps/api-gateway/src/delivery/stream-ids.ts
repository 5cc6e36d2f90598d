/** A Redis stream id as clients send it back (`Last-Event-ID`, `last_event_id`). */
export function isStreamId(value: string | undefined): value is string {
  return value !== undefined && /^\d+-\d+$/.test(value);
}
