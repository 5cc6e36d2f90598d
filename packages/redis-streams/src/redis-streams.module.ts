import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { RedisStreamsClient } from './redis-streams.client.js';
import { StreamEventPublisher, type StreamEventPublisherOptions } from './stream-event-publisher.js';

export const REDIS_STREAMS_OPTIONS = Symbol('REDIS_STREAMS_OPTIONS');

export interface RedisStreamsModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => StreamEventPublisherOptions | Promise<StreamEventPublisherOptions>;
}

class PublisherLifecycle implements OnApplicationShutdown {
  constructor(private readonly publisher: StreamEventPublisher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}

/**
 * Registers the typed `StreamEventPublisher` and its `RedisStreamsClient` (ClientProxy) face.
 * The consuming side is the `RedisStreamsServer` strategy passed to `connectMicroservice`.
 */
@Module({})
export class RedisStreamsModule {
  static forRoot(options: StreamEventPublisherOptions): DynamicModule {
    return this.build([{ provide: REDIS_STREAMS_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: RedisStreamsModuleAsyncOptions): DynamicModule {
    return {
      ...this.build([
        { provide: REDIS_STREAMS_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      ]),
      imports: options.imports ?? [],
    };
  }

  private static build(optionProviders: Provider[]): DynamicModule {
    return {
      module: RedisStreamsModule,
      global: true,
      providers: [
        ...optionProviders,
        {
          provide: StreamEventPublisher,
          useFactory: (opts: StreamEventPublisherOptions) => new StreamEventPublisher(opts),
          inject: [REDIS_STREAMS_OPTIONS],
        },
        {
          provide: RedisStreamsClient,
          useFactory: (publisher: StreamEventPublisher) => new RedisStreamsClient(publisher),
          inject: [StreamEventPublisher],
        },
        {
          provide: PublisherLifecycle,
          useFactory: (publisher: StreamEventPublisher) => new PublisherLifecycle(publisher),
          inject: [StreamEventPublisher],
        },
      ],
      exports: [StreamEventPublisher, RedisStreamsClient],
    };
  }
}
