import 'reflect-metadata';
import cors from '@fastify/cors';
import { Logger, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  acceptBinaryUploads,
  createHttpApp,
  enforceBodyPolicies,
  loadEnvOrExit,
  orExitOnEnvError,
  startTracing,
} from '@livetranslate/service-kit';
import { AppModule } from './app.module.js';
import { serveCaptionsPage } from './captions/captions-page.js';
import { loadKeyEntries } from './auth/api-key-entries.js';
import { gatewayBodyPolicies } from './config/body-policies.js';
import { GatewayEnv } from './config/env.js';

const env = loadEnvOrExit(GatewayEnv);
const keys = orExitOnEnvError(() => loadKeyEntries(env));
const stopTracing = startTracing('api-gateway');

await createHttpApp(AppModule.forRoot(env, keys), env, {
  name: 'api-gateway',
  afterClose: stopTracing,
  accessLog: true,
  configure: async (app) => {
    // Here, not before: the app's logger (format, level, no colour off a terminal) is in place.
    if (!env.API_KEYS?.length && !env.API_KEYS_FILE) {
      new Logger('api-gateway').warn(
        'API_KEYS is not set: accepting only the development key "lt-dev-key" (tenant "dev", role platform)',
      );
    }
    // Closed unless origins are named: a browser page elsewhere cannot use a key it got hold of.
    await app.register(cors as never, {
      origin: env.CORS_ORIGINS?.length ? env.CORS_ORIGINS : false,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'x-api-key',
        'content-type',
        'if-match',
        'last-event-id',
        'traceparent',
        'x-request-id',
      ],
      exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
    await acceptBinaryUploads(app, env.MAX_UPLOAD_BYTES);
    enforceBodyPolicies(app.getHttpAdapter().getInstance(), gatewayBodyPolicies(env));
    // PATCH /api/config takes RFC 7396 merge patches under their own media type too.
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (_request, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch (error) {
          (error as { statusCode?: number }).statusCode = 400;
          done(error as Error, undefined);
        }
      });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('LiveTranslate API')
        .setDescription(
          'Real-time transcription and translation. Live audio: WS /ws/sessions/{id} (binary PCM s16le mono or WAV frames in, JSON events out; resume with ?last_event_id=).',
        )
        .setVersion('1')
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
    if (!(await serveCaptionsPage(app)))
      new Logger('api-gateway').warn('the captions page is not built (pnpm build): / serves nothing');
  },
});
