import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { AudioChunkReceived } from '@livetranslate/contracts';
import { OnEvent, RedisStreamsContext, StreamErrorFilter } from '@livetranslate/redis-streams';
import { WORKER_ENV, type WorkerEnv } from '../config/env.js';
import { ChunkPipeline } from './chunk-pipeline.service.js';

// Keeps the handler's own error (not Nest's "Internal server error") for logs and dead letters.
@UseFilters(StreamErrorFilter)
@Controller()
export class ChunkHandler {
  constructor(
    private readonly pipeline: ChunkPipeline,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  @OnEvent('AudioChunkReceived')
  async handle(@Payload() chunk: AudioChunkReceived, @Ctx() ctx: RedisStreamsContext) {
    try {
      return await this.pipeline.process(chunk, ctx.getEnvelope().timestamp, ctx.getDeliveries());
    } catch (error) {
      // The last delivery failing sends the chunk to the dead-letter stream: its session hears of
      // it as a ProcessingFailed (and can complete) instead of waiting for a result forever.
      if (ctx.getDeliveries() >= this.env.WORKER_MAX_DELIVERIES)
        await this.pipeline.giveUp(chunk, error, ctx.getDeliveries());
      throw error;
    }
  }
}
