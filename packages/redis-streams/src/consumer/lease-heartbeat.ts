import type { RedisClient } from '../connection.js';
import { describeError, type ConsumerLogger } from './consumer-logger.js';
import type { InFlightWork } from './in-flight-work.js';

/**
 * Keeps slow but live handlers from being taken over: resets the idle time of the entries this
 * consumer holds (XCLAIM JUSTID counts no delivery), well before the reclaim threshold. Their
 * idempotency claims need nothing: they last as long as the entries stay pending.
 */
export class LeaseHeartbeat {
  constructor(
    private readonly redis: RedisClient,
    private readonly group: string,
    private readonly consumer: string,
    private readonly inFlight: InFlightWork,
    private readonly logger: ConsumerLogger,
  ) {}

  async beat(keepGoing: () => boolean): Promise<void> {
    if (this.inFlight.size === 0) return;
    try {
      for (const [stream, ids] of this.inFlight.idsByStream()) {
        await this.redis.call('XCLAIM', stream, this.group, this.consumer, 0, ...ids, 'JUSTID');
      }
    } catch (error) {
      if (keepGoing()) this.logger.warn(`heartbeat failed: ${describeError(error)}`);
    }
  }
}
