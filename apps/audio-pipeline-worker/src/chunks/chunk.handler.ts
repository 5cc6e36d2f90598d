import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { AudioChunkReceived } from '@livetranslate/contracts';
import { OnEvent, RedisStreamsContext, StreamErrorFilter } from '@livetranslate/redis-streams';
import { ChunkPipeline } from './chunk-pipeline.service.js';

// Keeps the handler's own error (not Nest's "Internal server error") for logs and dead letters.
@UseFilters(StreamErrorFilter)
@Controller()
export class ChunkHandler {
  constructor(private readonly pipeline: ChunkPipeline) {}

  @OnEvent('AudioChunkReceived')
  handle(@Payload() chunk: AudioChunkReceived, @Ctx() ctx: RedisStreamsContext) {
    return this.pipeline.process(chunk, ctx.getEnvelope().timestamp, ctx.getDeliveries());
  }
}
