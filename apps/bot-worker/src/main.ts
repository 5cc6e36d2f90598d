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
import { BotWorkerEnv } from './config/env.js';

const env = loadEnvOrExit(BotWorkerEnv);
const stopTracing = startTracing('bot-worker');

// HTTP serves /healthz, /readyz and /metrics only; commands arrive over the event bus, bots run as
// BullMQ jobs.
await createHttpApp(AppModule.forRoot(env), env, {
  name: 'bot-worker',
  afterClose: stopTracing,
  configure: (app) =>
    connectStreamConsumer(app, env, {
      streams: [env.EVENT_STREAM_BOT],
      group: CONSUMER_GROUPS.botOrchestrator,
      requiredEvents: ['BotRequested', 'BotStopRequested'],
    }),
  afterListen: startConsumingWhenReady,
});
