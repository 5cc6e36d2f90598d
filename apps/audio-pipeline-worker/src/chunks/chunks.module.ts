import { Module } from '@nestjs/common';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { ChunkPipeline } from './chunk-pipeline.service.js';
import { ChunkHandler } from './chunk.handler.js';

/** AudioChunkReceived → transcription and translations, each written once to the session log. */
@Module({
  controllers: [ChunkHandler],
  providers: [ChunkPipeline, PipelineMetrics],
})
export class ChunksModule {}
