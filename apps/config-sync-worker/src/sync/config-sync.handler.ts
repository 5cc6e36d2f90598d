import { Controller, UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type {
  ConfigRollbackRequested,
  ConfigSnapshot,
  ConfigUpdateRequested,
} from '@livetranslate/contracts';
import { OnEvent, StreamErrorFilter } from '@livetranslate/redis-streams';
import { ConfigStore } from '@livetranslate/session-store';
import { ConfigRequests } from './config-requests.service.js';
import { ModelSync } from './model-sync.service.js';

// Keeps the handler's own error (not Nest's "Internal server error") for logs and dead letters.
@UseFilters(StreamErrorFilter)
@Controller()
export class ConfigSyncHandler {
  constructor(
    private readonly sync: ModelSync,
    private readonly store: ConfigStore,
    private readonly requests: ConfigRequests,
  ) {}

  @OnEvent('ConfigUpdateRequested')
  update(@Payload() request: ConfigUpdateRequested) {
    return this.requests.update(request);
  }

  @OnEvent('ConfigRollbackRequested')
  rollback(@Payload() request: ConfigRollbackRequested) {
    return this.requests.rollback(request);
  }

  /** A committed version: push its model-side sections (read from the store, the source of truth). */
  @OnEvent('ConfigSnapshot')
  async snapshot(@Payload() snapshot: ConfigSnapshot) {
    const current = await this.store.current();
    // An older snapshot (a redelivery after a newer commit) pushes what is current, never the past.
    if (current && current.version >= snapshot.version && ConfigStore.intact(current))
      await this.sync.push(current);
  }
}
