import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly chunksPublished: Counter<'source'>;

  constructor(metrics: MetricsRegistry) {
    this.chunksPublished = new Counter({
      name: 'livetranslate_audio_chunks_published_total',
      help: 'AudioChunkReceived events published, by audio source',
      labelNames: ['source'],
      registers: [metrics.registry],
    });
  }
}
