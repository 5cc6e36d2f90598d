import { Injectable } from '@nestjs/common';
import type {
  TransportCounter,
  TransportCounterLabels,
  TransportMetrics,
} from '@livetranslate/redis-streams';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics.js';

/** The transport's counters on /metrics: `livetranslate_event_bus_entries_total{counter,stream,group,event_type}`. */
@Injectable()
export class BusMetrics implements TransportMetrics {
  private readonly entries: Counter<'counter' | 'stream' | 'group' | 'event_type'>;

  constructor(metrics: MetricsRegistry) {
    this.entries = new Counter({
      name: 'livetranslate_event_bus_entries_total',
      help: 'Stream entries by what the transport did with them (handled, failed, reclaimed, dead_lettered, duplicates, skipped)',
      labelNames: ['counter', 'stream', 'group', 'event_type'],
      registers: [metrics.registry],
    });
  }

  increment(counter: TransportCounter, labels: TransportCounterLabels): void {
    this.entries.inc({ counter, ...labels });
  }
}
