import { Inject, Injectable } from '@nestjs/common';
import { resultEventId, type EventPayload, type EventType } from '@livetranslate/contracts';
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
    const envelope = this.publisher.envelope(type, payload, { eventId: resultEventId(sessionId, slot) });
    const { id } = await this.log.appendOnce(sessionId, slot, envelope);
    await this.publisher.publishEnvelope(envelope);
    return id;
  }
}
