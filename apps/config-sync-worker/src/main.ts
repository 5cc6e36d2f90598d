import 'reflect-metadata';
import { CONSUMER_GROUPS } from '@livetranslate/contracts';
import {
  connectStreamConsumer,
  createHttpApp,
  loadEnvOrExit,
  startConsumingWhenReady,
  startTracing,
} from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { ConfigSyncEnv } from './config/env.js';

const env = loadEnvOrExit(ConfigSyncEnv);
const stopTracing = startTracing('config-sync-worker');

// HTTP serves /healthz, /readyz and /metrics only; versions arrive over the bus.
await createHttpApp(AppModule.forRoot(env), env, {
  name: 'config-sync-worker',
  afterClose: stopTracing,
  configure: (app) =>
    connectStreamConsumer(app, env, {
      streams: [env.EVENT_STREAM_CONFIG],
      group: CONSUMER_GROUPS.configSync,
      requiredEvents: ['ConfigSnapshot', 'ConfigUpdateRequested', 'ConfigRollbackRequested'],
      // Requests are applied one at a time, in the order they were published.
      maxInFlight: 1,
      batchSize: 1,
    }),
  afterListen: startConsumingWhenReady,
});
