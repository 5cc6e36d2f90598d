import { deadLetterStreamOf, ENVELOPE_FIELD } from '@livetranslate/contracts';
import type { RedisClient } from '../connection.js';

export interface DeadLetter {
  stream: string;
  id: string;
  /** The entry's `data` field as it was read (may be unparseable). */
  raw: string | undefined;
  deliveries: number;
  reason: string;
  error: string;
  eventType: string;
}

/**
 * Writes an entry to `<stream>:dlq` with why. Acking is the caller's next step: the two keys live on
 * different slots in a cluster, so a crash between them can only duplicate a dead letter, never
 * lose one.
 */
export class DeadLetterWriter {
  constructor(
    private readonly redis: RedisClient,
    private readonly group: string,
    private readonly consumer: string,
  ) {}

  async write(letter: DeadLetter): Promise<void> {
    await this.redis.call(
      'XADD',
      deadLetterStreamOf(letter.stream),
      '*',
      ENVELOPE_FIELD,
      letter.raw ?? '',
      'original_stream',
      letter.stream,
      'original_id',
      letter.id,
      'group',
      this.group,
      'consumer',
      this.consumer,
      'deliveries',
      String(letter.deliveries),
      'reason',
      letter.reason,
      'error',
      letter.error,
      'event_type',
      letter.eventType,
      'failed_at',
      new Date().toISOString(),
    );
  }
}
