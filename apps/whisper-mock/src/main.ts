import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { acceptBinaryUploads, createHttpApp, loadEnvOrExit, startTracing } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { WhisperMockEnv } from './config/env.js';

const env = loadEnvOrExit(WhisperMockEnv);
const stopTracing = startTracing('whisper-mock');

await createHttpApp(AppModule.forRoot(env), env, {
  name: 'whisper-mock',
  afterClose: stopTracing,
  configure: async (app) => {
    await acceptBinaryUploads(app, env.MAX_AUDIO_BYTES);
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  },
});
