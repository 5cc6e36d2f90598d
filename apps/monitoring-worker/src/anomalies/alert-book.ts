import { Inject, Injectable, Logger } from '@nestjs/common';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { MonitoringStore, type Alert } from '@livetranslate/session-store';
import type { Condition } from './anomaly-rules.js';

/**
 * Turns this round's conditions into alerts: a condition not active yet is raised (AnomalyDetected,
 * state `active`); an active alert whose condition no longer holds is resolved (same `anomaly_id`,
 * state `resolved`). Events go out before the store records them, so a crash in between repeats an
 * event rather than losing one.
 */
@Injectable()
export class AlertBook {
  private readonly logger = new Logger(AlertBook.name);

  constructor(
    private readonly store: MonitoringStore,
    @Inject(StreamEventPublisher) private readonly publisher: StreamEventPublisher,
  ) {}

  /** The alerts active now, by id. */
  async active(): Promise<Map<string, Alert>> {
    return new Map((await this.store.activeAlerts()).map((a) => [a.anomaly_id, a]));
  }

  async apply(
    conditions: readonly Condition[],
    active: ReadonlyMap<string, Alert>,
    now: Date,
  ): Promise<{ raised: Alert[]; resolved: Alert[] }> {
    const holding = new Set(conditions.map((c) => c.anomaly_id));
    const at = now.toISOString();
    const raised: Alert[] = conditions
      .filter((c) => !active.has(c.anomaly_id))
      .map((c) => ({ ...c, state: 'active', since: at }));
    const resolved: Alert[] = [...active.values()]
      .filter((a) => !holding.has(a.anomaly_id))
      .map((a) => ({ ...a, state: 'resolved', resolved_at: at }));
    for (const alert of [...raised, ...resolved]) {
      const { resolved_at: _resolvedAt, ...payload } = alert;
      await this.publisher.publish('AnomalyDetected', payload);
      const log = `${alert.state === 'active' ? 'raised' : 'resolved'} ${alert.anomaly_id}: ${alert.message}`;
      if (alert.state === 'active') this.logger.warn(log);
      else this.logger.log(log);
    }
    await this.store.recordAlerts(raised, resolved);
    return { raised, resolved };
  }
}
