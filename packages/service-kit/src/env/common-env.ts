import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '@livetranslate/contracts';
import { EnvNumber } from './env-decorators.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Variables every app reads. Each app extends this with its own and sets its default PORT. */
export abstract class CommonEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  abstract PORT: number;

  /** `production` turns on the strict rules (no development keys, no simulated drivers). */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** The lowest level logged. */
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'log';

  /** `json` for log collectors, `text` for people. */
  @IsIn(['json', 'text'])
  LOG_FORMAT: 'json' | 'text' = 'text';

  /** Address to listen on. */
  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  /** A client must send a request's headers within this (slow senders are cut off). */
  @EnvNumber()
  @IsInt()
  @Min(100)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** …and the whole request, body included, within this. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  HTTP_REQUEST_TIMEOUT_MS = 300_000;

  /** On SIGTERM, the time to drain (requests, streams, in-flight work) before exiting 1 anyway. */
  @EnvNumber()
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  SHUTDOWN_GRACE_MS = DEFAULT_SHUTDOWN_GRACE_MS;
}
