import 'reflect-metadata';
import { CONSUMER_GROUPS } from '@livetranslate/contracts';
import { loadEnvOrExit, startConsumerApp } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { BotWorkerEnv } from './config/env.js';

const env = loadEnvOrExit(BotWorkerEnv);

// HTTP serves /healthz, /readyz and /metrics only; the work arrives over the event bus.
await startConsumerApp('bot-worker', AppModule.forRoot(env), env, {
  streams: [env.EVENT_STREAM_BOT],
  group: CONSUMER_GROUPS.botOrchestrator,
  requiredEvents: ['BotRequested', 'BotStopRequested'],
});
