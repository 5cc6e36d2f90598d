import { Module } from '@nestjs/common';
import { AlertBook } from '../anomalies/alert-book.js';
import { ServiceChecks } from '../health/service-checks.js';
import { MonitoringMetrics } from '../metrics/monitoring-metrics.js';
import { StreamInspector } from '../streams/stream-inspector.js';
import { UsageCounter } from '../usage/usage-counter.js';
import { UsageHandler } from '../usage/usage.handler.js';
import { MonitoringRound } from './monitoring-round.js';
import { RoundScheduler } from './round-scheduler.js';

/** The scheduled round of checks, its parts, and the usage counting from the audio streams. */
@Module({
  controllers: [UsageHandler],
  providers: [
    ServiceChecks,
    StreamInspector,
    AlertBook,
    UsageCounter,
    MonitoringMetrics,
    MonitoringRound,
    RoundScheduler,
  ],
})
export class MonitoringModule {}
