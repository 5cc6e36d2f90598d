import { Module, type DynamicModule } from '@nestjs/common';
import { AudioIngest } from './audio-ingest.js';
import { IngestMetrics } from './ingest-metrics.js';
import { IngestQueue } from './ingest-queue.js';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings.js';
import { LiveStreams } from './live-audio-stream.js';
import { INPUT_PEERS, RedisInputPeers } from './input-peers.js';
import { LiveInputs } from './live-inputs.js';
import { SessionLifecycle } from './session-lifecycle.js';
import { SessionRepository } from './session.repository.js';

/**
 * Audio intake for an app that takes audio in (the gateway, the bot-worker). Needs PlatformModule
 * (Redis, the publisher, the session store and metrics) imported by the app.
 */
@Module({})
export class IngestModule {
  static forRoot(settings: IngestSettings): DynamicModule {
    return {
      module: IngestModule,
      global: true,
      providers: [
        { provide: INGEST_SETTINGS, useValue: Object.freeze({ ...settings }) },
        IngestMetrics,
        SessionRepository,
        { provide: INPUT_PEERS, useClass: RedisInputPeers },
        LiveInputs,
        AudioIngest,
        SessionLifecycle,
        LiveStreams,
        IngestQueue,
      ],
      exports: [
        INGEST_SETTINGS,
        SessionRepository,
        LiveInputs,
        AudioIngest,
        SessionLifecycle,
        LiveStreams,
        IngestQueue,
      ],
    };
  }
}
