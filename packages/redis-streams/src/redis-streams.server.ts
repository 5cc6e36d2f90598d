import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server, type MessageHandler } from '@nestjs/microservices';
import { isEventType, type EventType } from '@livetranslate/contracts';
import { isObservable, lastValueFrom } from 'rxjs';
import type { StreamConsumerOptions } from './options.js';
import { RedisStreamsContext } from './redis-streams.context.js';
import { StreamConsumer, type DeliveredEvent, type EventHandlerFn } from './stream-consumer.js';

export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS_TRANSPORT');

export interface RedisStreamsServerOptions extends StreamConsumerOptions {
  /** Event types this service must handle: the boot fails when one has no handler. */
  requiredEvents?: readonly EventType[];
}

/**
 * NestJS transport over Redis Streams. Handlers are ordinary `@EventPattern(eventType)` methods;
 * the entry is acked only after the handler's promise or Observable completes. A thrown error
 * leaves it pending for another delivery.
 */
export class RedisStreamsServer extends Server implements CustomTransportStrategy {
  override readonly transportId = REDIS_STREAMS_TRANSPORT;
  protected override readonly logger = new Logger('RedisStreamsServer');
  private readonly consumer: StreamConsumer;
  private readonly resolved = new Map<string, EventHandlerFn | undefined>();

  constructor(private readonly options: RedisStreamsServerOptions) {
    super();
    this.consumer = new StreamConsumer(options, (eventType) => this.resolve(eventType), this.logger);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.checkHandlers();
      await this.consumer.start();
      this.logger.log(
        `consuming ${this.consumer.options.streams.join(', ')} as ${this.consumer.options.group}/${this.consumer.options.consumer}`,
      );
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  on(): never {
    throw new Error('RedisStreamsServer does not expose broker events; use the metrics sink instead');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  get inFlight(): number {
    return this.consumer.inFlightCount;
  }

  /** Fails the boot on a handler for an unknown event type, two handlers for one, or a missing one. */
  private checkHandlers(): void {
    const problems: string[] = [];
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler)
        problems.push(`"${pattern}" is a request handler; this transport carries events only`);
      if (!isEventType(pattern))
        problems.push(`"${pattern}" is not an event type in @livetranslate/contracts`);
      if (handler.next) problems.push(`"${pattern}" has more than one handler`);
    }
    for (const required of this.options.requiredEvents ?? []) {
      if (!this.getHandlerByPattern(required)) problems.push(`"${required}" has no handler`);
    }
    if (problems.length > 0) throw new Error(`event handlers are misconfigured: ${problems.join('; ')}`);
  }

  private resolve(eventType: string): EventHandlerFn | undefined {
    // Handlers are fixed once listening; Nest's pattern lookup is too slow for a hot path.
    if (this.resolved.has(eventType)) return this.resolved.get(eventType);
    const handler: MessageHandler | null = this.getHandlerByPattern(eventType);
    const fn = handler ? this.wrap(handler) : undefined;
    this.resolved.set(eventType, fn);
    return fn;
  }

  private wrap(handler: MessageHandler): EventHandlerFn {
    return async (event: DeliveredEvent) => {
      const result: unknown = await handler(event.payload, new RedisStreamsContext(event));
      // Observables count as done only when they complete; an error rejects like a throw.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    };
  }
}
