import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { isEventType } from '@livetranslate/contracts';
import { StreamEventPublisher, type StreamEventPublisherOptions } from './stream-event-publisher.js';

/**
 * `ClientProxy` face of the publisher, for `client.emit(eventType, payload)`. Request-response is
 * not offered: the streams carry facts and commands, not calls.
 */
export class RedisStreamsClient extends ClientProxy {
  readonly publisher: StreamEventPublisher;

  constructor(options: StreamEventPublisherOptions | StreamEventPublisher) {
    super();
    this.publisher = options instanceof StreamEventPublisher ? options : new StreamEventPublisher(options);
  }

  async connect(): Promise<void> {
    if (this.publisher.redis.status === 'wait') await this.publisher.redis.connect();
  }

  async close(): Promise<void> {
    await this.publisher.close();
  }

  override on(): never {
    throw new Error('RedisStreamsClient does not expose broker events');
  }

  unwrap<T>(): T {
    return this.publisher.redis as T;
  }

  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const pattern = packet.pattern as unknown;
    if (!isEventType(pattern))
      throw new Error(`"${String(pattern)}" is not an event type in @livetranslate/contracts`);
    return (await this.publisher.publish(pattern, packet.data)) as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('RedisStreamsClient supports emit() only'), isDisposed: true });
    return () => undefined;
  }
}
