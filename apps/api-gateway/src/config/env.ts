import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvList, EnvNumber, PipelineEnv } from '@livetranslate/service-kit';

/** The key a local, default run accepts; any deployment sets API_KEYS. */
export const DEVELOPMENT_API_KEYS = ['lt-dev-key:dev'];

export class GatewayEnv extends PipelineEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.apiGateway;

  /** `key:tenant` pairs, comma-separated. */
  @EnvList()
  @IsString({ each: true })
  @Matches(/^[^:\s]{8,}:[A-Za-z0-9_.-]+$/, {
    each: true,
    message: 'API_KEYS must be comma-separated key:tenant pairs (keys of 8+ characters)',
  })
  API_KEYS: string[] = DEVELOPMENT_API_KEYS;

  /** Largest WebSocket frame, in bytes (larger frames close the socket with 1009). */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_FRAME_BYTES = 256 * 1024;

  /** Largest upload or HTTP chunk, in bytes. */
  @EnvNumber()
  @IsInt()
  @Min(1024)
  MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

  /** Chunks a client may send per second to one session (WebSocket and HTTP together). */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MAX_CHUNKS_PER_SECOND = 10;

  /** Sessions a tenant may have open at once. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  MAX_OPEN_SESSIONS_PER_TENANT = 100;

  /** How long a chunk's audio waits in Redis for a worker. */
  @EnvNumber()
  @IsInt()
  @Min(10)
  AUDIO_TTL_SECONDS = 3_600;

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
}

export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
