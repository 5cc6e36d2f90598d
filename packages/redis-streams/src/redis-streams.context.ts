import { BaseRpcContext } from '@nestjs/microservices';
import type { RawEnvelope } from '@livetranslate/contracts';
import type { DeliveredEvent } from './stream-consumer.js';

/** What a handler can learn about the delivery: `@Ctx() ctx: RedisStreamsContext`. */
export class RedisStreamsContext extends BaseRpcContext<[DeliveredEvent]> {
  constructor(event: DeliveredEvent) {
    super([event]);
  }

  private get event(): DeliveredEvent {
    return this.args[0];
  }

  getStream(): string {
    return this.event.stream;
  }

  getEntryId(): string {
    return this.event.entryId;
  }

  getDeliveries(): number {
    return this.event.deliveries;
  }

  getEnvelope(): RawEnvelope {
    return this.event.envelope;
  }
}
