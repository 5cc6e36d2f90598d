import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { QUEUE_NAMES } from '@livetranslate/contracts';
import { JobQueues } from '@livetranslate/service-kit';
import { MONITORING_ENV, type MonitoringEnv } from '../config/env.js';
import { MonitoringRound } from './monitoring-round.js';

/**
 * The round's schedule: a BullMQ job scheduler, so one round runs per interval however many
 * monitoring-worker replicas there are, and a replica that dies mid-round leaves the next to another.
 */
@Injectable()
export class RoundScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoundScheduler.name);

  constructor(
    @Inject(MONITORING_ENV) private readonly env: MonitoringEnv,
    private readonly queues: JobQueues,
    private readonly round: MonitoringRound,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.every(
      QUEUE_NAMES.monitoringRound,
      'monitoring-round',
      this.env.MONITOR_INTERVAL_MS,
      async () => {
        const summary = await this.round.run();
        if (summary.ran && summary.durationMs > this.env.MONITOR_INTERVAL_MS)
          this.logger.warn(
            `a round took ${Math.round(summary.durationMs)} ms, longer than MONITOR_INTERVAL_MS`,
          );
      },
    );
  }
}
