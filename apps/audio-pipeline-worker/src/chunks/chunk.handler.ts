import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { AudioChunkReceived } from '@livetranslate/contracts';
import { OnEvent, RedisStreamsContext } from '@livetranslate/redis-streams';
import { ChunkPipeline } from './chunk-pipeline.service.js';

@Controller()
export class ChunkHandler {
  constructor(private readonly pipeline: ChunkPipeline) {}

  @OnEvent('AudioChunkReceived')
  handle(@Payload() chunk: AudioChunkReceived, @Ctx() ctx: RedisStreamsContext) {
    return this.pipeline.process(chunk, ctx.getEnvelope().timestamp);
  }
}
