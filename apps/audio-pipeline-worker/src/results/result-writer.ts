import { Inject, Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, resultEventId, type EventPayload, type EventType } from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { SessionEventLog } from '@livetranslate/session-store';

/**
 * Writes a result to the session's event log exactly once per slot, and to the shared results
 * stream with the same stable event id (so its consumers can drop a copy after a redelivery).
 */
@Injectable()
export class ResultWriter {
  constructor(
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    @Inject(StreamEventPublisher) private readonly publisher: StreamEventPublisher,
  ) {}

  async write<T extends EventType>(
    sessionId: string,
    slot: string,
    type: T,
    payload: EventPayload<T>,
  ): Promise<string> {
    // The envelope carries this span's context: the gateway's delivery span is its child.
    return inSpan(
      'audio-pipeline-worker',
      `session-log append ${type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'livetranslate.session_id': sessionId, 'livetranslate.slot': slot },
      },
      async () => {
        const envelope = this.publisher.envelope(type, payload, { eventId: resultEventId(sessionId, slot) });
        // Both at once (one write to Redis, not two round trips): a redelivery repeats either,
        // and the stable event id lets the results stream's readers drop a copy.
        const [{ id }] = await Promise.all([
          this.log.appendOnce(sessionId, slot, envelope),
          this.publisher.publishEnvelope(envelope),
        ]);
        return id;
      },
    );
  }
}
