import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  differences,
  settingsFor,
  severityOf,
  type ModelService,
  type ServiceConfigBody,
} from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import {
  ConfigFollower,
  DOWNSTREAM,
  modelConfigApis,
  type DownstreamClients,
} from '@livetranslate/service-kit';
import type { ConfigVersion } from '@livetranslate/session-store';
import { CONFIG_SYNC_ENV, type ConfigSyncEnv } from '../config/env.js';

export type ServiceSyncState = 'synchronized' | 'drift_detected' | 'service_unavailable';

/**
 * Keeps the model services on the stored configuration: pushes their sections when a version is
 * committed, reads them back on the schedule, reports drift with the differing settings, and pushes
 * again when remediation is on or when a service that was down answers again.
 */
@Injectable()
export class ModelSync {
  private readonly logger = new Logger(ModelSync.name);
  private readonly states = new Map<ModelService, ServiceSyncState>();

  constructor(
    @Inject(CONFIG_SYNC_ENV) private readonly env: ConfigSyncEnv,
    @Inject(DOWNSTREAM) private readonly models: DownstreamClients,
    private readonly config: ConfigFollower,
    private readonly publisher: StreamEventPublisher,
  ) {}

  /** Pushes every model service's section of `version` (a service that is down is retried by the check). */
  async push(version: ConfigVersion = this.config.current): Promise<void> {
    for (const [service, api] of modelConfigApis(this.models)) {
      try {
        await api.update(settingsFor(version.config, service));
        this.states.set(service, 'synchronized');
      } catch (error) {
        this.states.set(service, 'service_unavailable');
        this.logger.warn(
          `${service}: push of version ${version.version} failed: ${(error as Error).message}`,
        );
      }
    }
  }

  /** Reads every service back and compares; one run per schedule tick, cluster-wide. */
  async check(): Promise<void> {
    const version = this.config.current;
    for (const [service, api] of modelConfigApis(this.models)) {
      const wanted = settingsFor(version.config, service);
      let reported: ServiceConfigBody;
      try {
        reported = await api.get();
      } catch (error) {
        if (this.states.get(service) !== 'service_unavailable') {
          this.logger.warn(`${service} is unavailable: ${(error as Error).message}`);
        }
        this.states.set(service, 'service_unavailable');
        continue;
      }
      const wasDown = this.states.get(service) === 'service_unavailable';
      const differing = differences(service, wanted, reported.config);
      if (differing.length === 0) {
        this.states.set(service, 'synchronized');
        continue;
      }
      this.states.set(service, 'drift_detected');
      await this.publisher.publish('ConfigDriftDetected', {
        service,
        version: version.version,
        expected_checksum: version.checksum,
        actual_checksum: reported.checksum ?? '',
        differences: differing,
        severity: severityOf(differing),
      });
      // A service that comes back has forgotten nothing it was told only if it never restarted:
      // it is told again either way; drift on a live service is fixed only when remediation is on.
      if (wasDown || this.env.CONFIG_AUTO_REMEDIATE) {
        await api.update(wanted).then(
          () => this.states.set(service, 'synchronized'),
          (error: Error) => this.logger.warn(`${service}: re-push failed: ${error.message}`),
        );
      }
    }
  }
}
