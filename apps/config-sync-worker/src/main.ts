import 'reflect-metadata';
import { CONSUMER_GROUPS } from '@livetranslate/contracts';
import { loadEnvOrExit, startConsumerApp } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { ConfigSyncEnv } from './config/env.js';

const env = loadEnvOrExit(ConfigSyncEnv);

// HTTP serves /healthz, /readyz and /metrics only; the work arrives over the event bus.
await startConsumerApp('config-sync-worker', AppModule.forRoot(env), env, {
  streams: [env.EVENT_STREAM_CONFIG],
  group: CONSUMER_GROUPS.configSync,
  requiredEvents: ['ConfigSnapshot', 'ConfigUpdateRequested', 'ConfigRollbackRequested'],
  // Requests are applied one at a time, in the order they were published.
  maxInFlight: 1,
  batchSize: 1,
});
