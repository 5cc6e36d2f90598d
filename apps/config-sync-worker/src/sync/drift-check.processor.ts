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
    await this.queues.every(
      QUEUE_NAMES.configDriftCheck,
      'drift-check',
      this.env.CONFIG_CHECK_INTERVAL_MS,
      () => this.sync.check(),
    );
    // The models hear the current version at start too: a worker may start after a commit.
    await this.sync.push();
  }
}
