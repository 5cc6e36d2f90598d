import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import type { AudioChunkReceived, BotRequested } from '@livetranslate/contracts';
import { OnEvent } from './on-event.decorator.js';
import type { RedisStreamsContext } from './redis-streams.context.js';

class Handlers {
  @OnEvent('AudioChunkReceived')
  chunk(_payload: AudioChunkReceived, _ctx: RedisStreamsContext) {
    return undefined;
  }

  // The payload type must match the event: this line fails `tsc --noEmit` if the check is lost.
  // @ts-expect-error BotRequested is not the AudioChunkReceived payload
  @OnEvent('AudioChunkReceived')
  wrong(_payload: BotRequested) {
    return undefined;
  }
}

describe('OnEvent', () => {
  it('registers the event type as the Nest pattern', () => {
    expect(Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype.chunk)).toEqual(['AudioChunkReceived']);
  });
});
