import { EventPattern } from '@nestjs/microservices';
import type { EventPayload, EventType } from '@livetranslate/contracts';
import type { RedisStreamsContext } from './redis-streams.context.js';

export type StreamEventHandler<T extends EventType> = (
  payload: EventPayload<T>,
  ctx: RedisStreamsContext,
) => unknown;

/**
 * `@EventPattern` typed from the contracts event map: a handler whose payload parameter is not the
 * event's payload class fails to compile. Take the arguments with `@Payload()` (the validated
 * payload) and `@Ctx()` (a RedisStreamsContext), as with any Nest transport.
 */
export function OnEvent<T extends EventType>(eventType: T) {
  const decorate = EventPattern(eventType) as MethodDecorator;
  return (
    target: object,
    key: string | symbol,
    // Only `value` is named so the check is covariant: any handler taking this payload fits.
    descriptor: { value?: StreamEventHandler<T> },
  ): void => {
    decorate(target, key, descriptor as PropertyDescriptor);
  };
}
