import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QUEUE_NAMES } from '@livetranslate/contracts';
import { JobQueues } from '@livetranslate/service-kit';
import { CONFIG_SYNC_ENV, type ConfigSyncEnv } from '../config/env.js';
import { ModelSync } from './model-sync.service.js';

/**
 * The read-back schedule: a BullMQ job scheduler, so one check runs per interval however many
 * config-sync-worker replicas there are.
 */
@Injectable()
export class DriftCheckProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG_SYNC_ENV) private readonly env: ConfigSyncEnv,
    private readonly queues: JobQueues,
    private readonly sync: ModelSync,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = QUEUE_NAMES.configDriftCheck;
    this.queues.worker(queue, () => this.sync.check(), { concurrency: 1 });
    await this.queues.schedule(
      queue,
      'drift-check',
      { every: this.env.CONFIG_CHECK_INTERVAL_MS },
      {
        name: 'drift-check',
        opts: { removeOnComplete: 100, removeOnFail: 100 },
      },
    );
    // The models hear the current version at start too: a worker may start after a commit.
    await this.sync.push();
  }
}
