import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import { parseClusterNodes, whyClusterUnreachable } from '@livetranslate/redis-streams';
import type { CommonEnv } from '../env/common-env.js';
import { EnvValidationError, orExitOnEnvError } from '../env/load-env.js';
import { createLogger } from '../tracing/platform-logger.js';
import { traceRequests } from '../tracing/request-tracing.js';
import { ErrorEnvelopeFilter } from './error-envelope.filter.js';
import { exitCleanlyOnSignals, isShuttingDown } from './graceful-shutdown.js';

export interface HttpAppOptions {
  /** The app's name, for logs. */
  name: string;
  /** Largest request body accepted, in bytes (Fastify answers 413 beyond it). */
  bodyLimit?: number;
  /** Runs after the app is created and before it listens: register parsers, pipes, docs, microservices. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Runs once the app listens: e.g. start consuming when dependencies answer. */
  afterListen?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Runs after the app closed on SIGTERM, before exit: e.g. flush pending spans. */
  afterClose?: () => Promise<void>;
  /** One log line per request (credentials in the query redacted); probes and scrapes at debug. */
  accessLog?: boolean;
}

/**
 * Creates a NestJS app on Fastify with the platform's conventions: request ids (taken from
 * `X-Request-Id` or generated), a server span per request, JSON error bodies for every failure including Fastify's own,
 * a clean exit 0 after draining on SIGTERM, then listens on PORT and logs where.
 */
export async function createHttpApp(
  module: unknown,
  env: Pick<
    CommonEnv,
    | 'PORT'
    | 'HOST'
    | 'LOG_LEVEL'
    | 'LOG_FORMAT'
    | 'HTTP_HEADERS_TIMEOUT_MS'
    | 'HTTP_REQUEST_TIMEOUT_MS'
    | 'SHUTDOWN_GRACE_MS'
  >,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Slow senders (slowloris) are cut off: headers and the whole request have deadlines, checked
    // every second rather than Node's default 30 s.
    serverFactory: (handler: RequestListener) =>
      createServer(
        {
          headersTimeout: Math.min(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS),
          requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
          connectionsCheckingInterval: Math.min(1_000, env.HTTP_HEADERS_TIMEOUT_MS),
        },
        handler,
      ),
  });
  const logger = createLogger(env, options.name);
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, { logger }).catch(
    (error: unknown) => exitOnRedisRefusal(error, env),
  );
  const fastify = app.getHttpAdapter().getInstance();
  traceRequests(fastify, options.accessLog ? { accessLog: logger } : {});
  // The APIs speak JSON (and binary where they say so): a text/plain body is a 415, not a parse error.
  fastify.removeContentTypeParser('text/plain');
  // Closing frees idle keep-alive sockets once; one whose request is in flight would stay open after
  // its response (Fastify keeps them 72 s) and hold the exit past the grace period. Responses sent
  // while closing end their connection instead.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  await options.configure?.(app);
  await app.listen(env.PORT, env.HOST).catch((error: unknown) => exitOnRedisRefusal(error, env));
  exitCleanlyOnSignals(app, options.name, env.SHUTDOWN_GRACE_MS, options.afterClose);
  new Logger(options.name).log(`listening on http://${env.HOST}:${env.PORT}`);
  try {
    await options.afterListen?.(app);
  } catch (error) {
    // A SIGTERM while the app was still starting (consumers joining, connections opening) closes
    // what the start-up was using: its failure is the drain's doing, not a crash.
    if (!isShuttingDown()) throw error;
  }
  return app;
}

/**
 * Redis refusing the credentials (or the user's rights) is a configuration error, not a crash:
 * say which variable, as for any other bad variable, and exit 1. Anything else is rethrown.
 */
async function exitOnRedisRefusal(error: unknown, env: object): Promise<never> {
  let message = (error as Error)?.message ?? '';
  const clusterNodes = (env as { REDIS_CLUSTER_NODES?: string }).REDIS_CLUSTER_NODES;
  // A cluster client hides why it could not connect; ask the nodes.
  const hidden = clusterNodes && message.includes('None of startup nodes is available');
  if (hidden) message = (await whyClusterUnreachable(parseClusterNodes(clusterNodes))) ?? message;
  if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(message)) {
    const variable = clusterNodes ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL (or EVENT_BUS_REDIS_URL)';
    orExitOnEnvError(() => {
      throw new EnvValidationError([`${variable}: Redis refused it: ${message}`]);
    });
  }
  if (hidden) throw new Error(`the Redis Cluster is unreachable: ${message}`, { cause: error });
  throw error;
}

export type { INestApplication };
