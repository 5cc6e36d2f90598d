import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@livetranslate/service-kit';
import { Counter } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly chunksPublished: Counter<'source'>;
  readonly draftsPublished: Counter;
  readonly draftsFailed: Counter;

  constructor(metrics: MetricsRegistry) {
    this.chunksPublished = new Counter({
      name: 'livetranslate_audio_chunks_published_total',
      help: 'AudioChunkReceived events published, by audio source',
      labelNames: ['source'],
      registers: [metrics.registry],
    });
    this.draftsPublished = new Counter({
      name: 'livetranslate_audio_drafts_published_total',
      help: 'Draft audio (a live chunk so far) sent for a TranscriptionDraft',
      registers: [metrics.registry],
    });
    this.draftsFailed = new Counter({
      name: 'livetranslate_audio_drafts_failed_total',
      help: 'Draft audio that could not be stored or announced (drafts are best effort)',
      registers: [metrics.registry],
    });
  }
}
