import 'reflect-metadata';
import { CONSUMER_GROUPS } from '@livetranslate/contracts';
import { ingestStreamsOf, loadEnvOrExit, startConsumerApp } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { MonitoringEnv } from './config/env.js';

const env = loadEnvOrExit(MonitoringEnv);

// HTTP serves /healthz, /readyz and /metrics only. Rounds run from a BullMQ job scheduler; the
// consumer counts usage from the audio streams.
await startConsumerApp('monitoring-worker', AppModule.forRoot(env), env, {
  streams: [...ingestStreamsOf(env), env.EVENT_STREAM_AUDIO_RESULTS],
  group: CONSUMER_GROUPS.monitoring,
  requiredEvents: [
    'AudioChunkReceived',
    'TranscriptionCompleted',
    'TranslationCompleted',
    'ProcessingFailed',
  ],
});
