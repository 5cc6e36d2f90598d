import { Injectable, Logger } from '@nestjs/common';
import type { ConfigRollbackRequested, ConfigUpdateRequested } from '@livetranslate/contracts';
import { ApiError, ConfigChanges, fromRequest, type ConfigChange } from '@livetranslate/service-kit';
import { ConfigStore } from '@livetranslate/session-store';

/**
 * CONFIG_SYNC_MODE=worker: applies change requests in the order they were published, each once
 * (the bus's idempotency, and a commit keyed by the request's id for a worker that died between
 * committing and acknowledging), recording the outcome where GET /api/config/requests/:id reads it. A
 * request that cannot apply (a broken rule, a stale base version, a tampered rollback target) is
 * rejected with its reason; an infrastructure failure is retried by the bus.
 */
@Injectable()
export class ConfigRequests {
  private readonly logger = new Logger(ConfigRequests.name);

  constructor(
    private readonly changes: ConfigChanges,
    private readonly store: ConfigStore,
  ) {}

  async update(request: ConfigUpdateRequested): Promise<void> {
    const current = await this.store.currentVersion();
    await this.run(request.request_id, fromRequest(request, current), request.requested_by, request.reason);
  }

  async rollback(request: ConfigRollbackRequested): Promise<void> {
    await this.run(
      request.request_id,
      { kind: 'rollback', version: request.to_version },
      request.requested_by,
      request.reason,
    );
  }

  /**
   * A preset or rollback names no base version: when another replica committed first, it applies on
   * top of the new one. A change made against a base is never rebased: it is rejected as stale.
   */
  private async applyRebasing(change: ConfigChange, meta: { changedBy: string; reason: string }) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.changes.apply(change, meta);
      } catch (error) {
        const rebaseable = change.kind === 'preset' || change.kind === 'rollback';
        if (!(error instanceof ApiError) || error.code !== 'stale_version' || !rebaseable || attempt >= 10)
          throw error;
      }
    }
  }

  private async run(
    requestId: string | undefined,
    change: ConfigChange,
    by: string,
    reason?: string,
  ): Promise<void> {
    const at = () => new Date().toISOString();
    try {
      const version = await this.applyRebasing(change, {
        changedBy: by,
        reason: reason ?? '',
        ...(requestId ? { requestId } : {}),
      });
      if (requestId) {
        await this.store.recordRequest(requestId, {
          request_id: requestId,
          status: 'applied',
          version: version.version,
          updated_at: at(),
        });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.logger.warn(`configuration request ${requestId ?? '(unnamed)'} rejected: ${error.message}`);
      if (requestId) {
        await this.store.recordRequest(requestId, {
          request_id: requestId,
          status: 'rejected',
          error: { code: error.code, message: error.message },
          updated_at: at(),
        });
      }
    }
  }
}
