import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { createHttpApp, loadEnvOrExit, startTracing } from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { TranslationMockEnv } from './config/env.js';

const env = loadEnvOrExit(TranslationMockEnv);
const stopTracing = startTracing('translation-mock');

await createHttpApp(AppModule.forRoot(env), env, {
  name: 'translation-mock',
  afterClose: stopTracing,
  configure: (app) => {
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  },
});
