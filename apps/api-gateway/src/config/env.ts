import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidatorConstraint,
  Validate,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvList, EnvNumber, PipelineEnv } from '@livetranslate/service-kit';
import { parseKeyEntry } from '../auth/api-key-entries.js';

/** Each API_KEYS entry parses, under the rules of NODE_ENV (production refuses weak keys). */
@ValidatorConstraint({ name: 'apiKeyEntries' })
class ApiKeyEntriesRule implements ValidatorConstraintInterface {
  validate(_entries: unknown, args: ValidationArguments): boolean {
    return firstProblem(args) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return `API_KEYS ${firstProblem(args) ?? 'is invalid'}`;
  }
}

function firstProblem(args: ValidationArguments): string | undefined {
  const production = (args.object as GatewayEnv).NODE_ENV === 'production';
  const entries = Array.isArray(args.value) ? (args.value as unknown[]) : [];
  for (const [index, entry] of entries.entries()) {
    try {
      parseKeyEntry(String(entry), production);
    } catch (error) {
      return `entry ${index + 1}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

export class GatewayEnv extends PipelineEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.apiGateway;

  /** `key:tenant[:role]` entries, comma-separated (checked entry by entry in auth/api-key-entries). */
  @IsOptional()
  @EnvList()
  @IsString({ each: true })
  @Validate(ApiKeyEntriesRule)
  API_KEYS?: string[];

  /** A mounted file of the same entries, one per line. */
  @IsOptional()
  @IsString()
  API_KEYS_FILE?: string;

  /** Largest WebSocket frame, in bytes (larger frames close the socket with 1009). */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_FRAME_BYTES = 256 * 1024;

  /** Largest whole-file upload (`POST /api/audio/upload`), in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

  /** Largest single chunk (`POST /api/sessions/:id/audio`), in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_CHUNK_BYTES = 8 * 1024 * 1024;

  /** Requests (and WebSocket connections) one API key may make per minute, across every replica. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  API_RATE_LIMIT_PER_MINUTE = 6_000;

  /**
   * Browser origins allowed to call the API (comma-separated, e.g. `https://app.example.com`).
   * Empty: no cross-origin access at all.
   */
  @IsOptional()
  @EnvList()
  @Matches(/^https?:\/\/[^\s/]+$/, {
    each: true,
    message: 'CORS_ORIGINS must be origins like https://app.example.com (scheme and host, no path)',
  })
  CORS_ORIGINS?: string[];

  /** Largest JSON body on every other route, in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_JSON_BYTES = 1024 * 1024;

  /** Longest an `upload?wait=true` request waits for the finished transcript. */
  @EnvNumber()
  @IsInt()
  @Min(1_000)
  UPLOAD_WAIT_TIMEOUT_MS = 120_000;

  /** WebSocket keep-alive: ping interval; a socket that misses a pong is closed. */
  @EnvNumber()
  @IsInt()
  @Min(1_000)
  WS_PING_INTERVAL_MS = 30_000;

  /**
   * Where configuration changes are committed: `api` (here, answering 200 with the version) or
   * `worker` (checked here, applied in order by the config-sync-worker, answering 202).
   */
  @IsIn(['api', 'worker'], { message: 'CONFIG_SYNC_MODE must be "api" or "worker"' })
  CONFIG_SYNC_MODE: 'api' | 'worker' = 'api';

  /** Bots a tenant may have queued or live at once. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MAX_BOTS_PER_TENANT = 20;
}

export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
