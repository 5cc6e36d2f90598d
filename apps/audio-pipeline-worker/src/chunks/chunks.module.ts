import { Module } from '@nestjs/common';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { ChunkPipeline } from './chunk-pipeline.service.js';
import { ChunkHandler } from './chunk.handler.js';
import { ChunkTranslator } from './chunk-translator.js';

/** AudioChunkReceived → transcription and translations, each written once to the session log. */
@Module({
  controllers: [ChunkHandler],
  providers: [ChunkPipeline, ChunkTranslator, PipelineMetrics],
})
export class ChunksModule {}
