import { SpanKind } from '@opentelemetry/api';
import {
  inSpan,
  resultEventId,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from '@livetranslate/contracts';
import type { StreamEventPublisher } from '@livetranslate/redis-streams';
import type { AfterAppend, SessionEventLog } from './session-event-log.js';

/**
 * Writes a session's result events: to its event log exactly once per slot, and to the shared
 * results stream with the same stable event id (so its consumers can drop a copy after a retry).
 * Every writer of one-per-slot events (the worker's results, the gateway's end of input, whoever
 * completes a session) goes through here.
 */
export class SessionResults {
  constructor(
    private readonly log: SessionEventLog,
    private readonly publisher: StreamEventPublisher,
    /** Names the spans' tracer: the app writing. */
    private readonly app: string,
    /** Runs after each write (the webhook outbox); a retried write runs it again. */
    private readonly written?: (sessionId: string, envelope: EventEnvelope) => Promise<void>,
  ) {}

  async write<T extends EventType>(
    sessionId: string,
    slot: string,
    type: T,
    payload: EventPayload<T>,
  ): Promise<string> {
    return (await this.writeThen(sessionId, slot, type, payload)).id;
  }

  /** `write`, with `after`'s script doing more on the session's slot in the same step. */
  async writeThen<T extends EventType, After = never>(
    sessionId: string,
    slot: string,
    type: T,
    payload: EventPayload<T>,
    after?: AfterAppend<After>,
  ): Promise<{ id: string; after?: After }> {
    // The envelope carries this span's context: the gateway's delivery span is its child.
    return inSpan(
      this.app,
      `session-log append ${type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'livetranslate.session_id': sessionId, 'livetranslate.slot': slot },
      },
      async () => {
        const envelope = this.publisher.envelope(type, payload, { eventId: resultEventId(sessionId, slot) });
        // Both at once (one write to Redis, not two round trips): a retry repeats either, and the
        // stable event id lets the results stream's readers drop a copy.
        const [appended] = await Promise.all([
          this.log.appendOnce(sessionId, slot, envelope, after),
          this.publisher.publishEnvelope(envelope),
        ]);
        await this.written?.(sessionId, envelope);
        return { id: appended.id, ...(appended.after === undefined ? {} : { after: appended.after }) };
      },
    );
  }
}
