import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter, Histogram } from 'prom-client';

/** The worker's Prometheus metrics (the transport's are BusMetrics, from PlatformModule). */
@Injectable()
export class PipelineMetrics {
  readonly chunks: Counter<'outcome'>;
  readonly stageSeconds: Histogram<'stage'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.chunks = new Counter({
      name: 'livetranslate_audio_chunks_processed_total',
      help: 'Audio chunks by outcome (completed, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.stageSeconds = new Histogram({
      name: 'livetranslate_audio_pipeline_stage_duration_seconds',
      help: 'Time spent per pipeline stage (transcription, translation)',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}
