import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { parseClusterNodes, type RedisConnection } from '@livetranslate/redis-streams';
import {
  DEFAULT_AUDIO_SERVICE_URL,
  DEFAULT_KEY_PREFIX,
  DEFAULT_REDIS_URL,
  DEFAULT_STREAMS,
  DEFAULT_TRANSLATION_SERVICE_URL,
  partitionedStreams,
  type StreamNames,
} from '@livetranslate/contracts';
import { CommonEnv } from './common-env.js';
import { EnvBoolean, EnvNumber } from './env-decorators.js';

const REDIS_URL_RULE = /^rediss?:\/\/\S+$/;
const HTTP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** Variables of every app on the event bus: Redis, stream names (same names as the original service), key prefix. */
export abstract class BusEnv extends CommonEnv {
  /** Wins over REDIS_URL for the event bus. */
  @IsOptional()
  @Matches(REDIS_URL_RULE, { message: 'EVENT_BUS_REDIS_URL must be a redis:// or rediss:// URL' })
  EVENT_BUS_REDIS_URL?: string;

  @Matches(REDIS_URL_RULE, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = DEFAULT_REDIS_URL;

  /**
   * A Redis Cluster instead of one server: `host:port,…` or `rediss://user:password@host:port,…`
   * (TLS and ACL credentials as in REDIS_URL). When set, it wins over both URLs.
   */
  @IsOptional()
  @ValidateBy({
    name: 'clusterNodes',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && clusterNodesProblem(value) === null,
      defaultMessage: (args) =>
        `REDIS_CLUSTER_NODES ${clusterNodesProblem(String(args?.value))}: want host:port,… or rediss://user:password@host:port,…`,
    },
  })
  REDIS_CLUSTER_NODES?: string;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_AUDIO: string = DEFAULT_STREAMS.audioIngest;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_AUDIO_RESULTS: string = DEFAULT_STREAMS.audioResults;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_CONFIG: string = DEFAULT_STREAMS.configSync;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_BOT: string = DEFAULT_STREAMS.botControl;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_MONITORING: string = DEFAULT_STREAMS.monitoring;

  @IsString()
  @IsNotEmpty()
  EVENT_STREAM_AUDIO_DRAFTS: string = DEFAULT_STREAMS.audioDrafts;

  /**
   * Partitions of the audio ingest and of the live fan-out: a session always lands on the same one
   * (a hash of its id). Each is its own stream and hash slot, so a Redis Cluster spreads them over
   * its nodes. 1 keeps the single ingest stream name. Every app must agree on it.
   */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(256)
  AUDIO_INGEST_PARTITIONS = 1;

  /** Age after which entries of the results stream (which no group reads) are trimmed on append. */
  @EnvNumber()
  @IsInt()
  @Min(60_000)
  EVENT_STREAM_AUDIO_RESULTS_MAX_AGE_MS = 86_400_000;

  /** Age after which entries of the monitoring stream are trimmed on append. */
  @EnvNumber()
  @IsInt()
  @Min(60_000)
  EVENT_STREAM_MONITORING_MAX_AGE_MS = 86_400_000;

  /** Versions of the configuration kept (and available to roll back to). */
  @EnvNumber()
  @IsInt()
  @Min(50)
  @Max(10_000)
  CONFIG_HISTORY_LENGTH = 50;

  /** Prefix of per-session keys (event logs, audio, session records). */
  @Matches(/^[A-Za-z0-9:_-]+$/, {
    message: 'REDIS_KEY_PREFIX may hold letters, digits, ":", "_" and "-" only',
  })
  REDIS_KEY_PREFIX = DEFAULT_KEY_PREFIX;

  /** How long a session's event log and record live after their last write. */
  @EnvNumber()
  @IsInt()
  @Min(60)
  SESSION_TTL_SECONDS = 86_400;

  /** How often this replica renews its entry in the service registry the monitoring-worker reads. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  SERVICE_HEARTBEAT_MS = 10_000;

  /** Host (or IP) other services reach this replica's HTTP port on; the pod IP on Kubernetes. */
  @IsString()
  @IsNotEmpty()
  ADVERTISE_HOST = '127.0.0.1';

  /**
   * Signs webhook requests (HMAC-SHA256). Unset, sessions and bots with a `webhook_url` are refused.
   * Every app of a deployment gets the same value (the gateway checks it is set, the audio worker signs).
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'WEBHOOK_SIGNING_SECRET must be at least 16 characters' })
  WEBHOOK_SIGNING_SECRET?: string;

  /** Let webhook URLs reach loopback, private and link-local addresses (tests, private networks). */
  @EnvBoolean()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  /** Deliveries of one webhook event before it is given up (retried with exponential backoff). */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(20)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** First retry delay; each retry waits twice the one before. */
  @EnvNumber()
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_MS = 1_000;

  /** How long one delivery waits for the receiver's answer. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;
}

/** Where the transport keeps its own keys (markers, ack clocks): `lt:bus` with the defaults. */
export function busKeyPrefixOf(env: Pick<BusEnv, 'REDIS_KEY_PREFIX'>): string {
  return `${env.REDIS_KEY_PREFIX}:bus`;
}

/** The one Redis (server or cluster) every connection of the app opens: transport, stores, queues. */
export function busRedisConnection(env: BusEnv): RedisConnection {
  if (env.REDIS_CLUSTER_NODES) return parseClusterNodes(env.REDIS_CLUSTER_NODES);
  return env.EVENT_BUS_REDIS_URL ?? env.REDIS_URL;
}

function clusterNodesProblem(spec: string): string | null {
  try {
    parseClusterNodes(spec);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The audio ingest's streams: EVENT_STREAM_AUDIO itself, or its AUDIO_INGEST_PARTITIONS partitions. */
export function ingestStreamsOf(env: BusEnv): string[] {
  return partitionedStreams(env.EVENT_STREAM_AUDIO, env.AUDIO_INGEST_PARTITIONS);
}

export function streamNamesOf(env: BusEnv): StreamNames {
  return Object.freeze({
    audioIngest: env.EVENT_STREAM_AUDIO,
    audioResults: env.EVENT_STREAM_AUDIO_RESULTS,
    configSync: env.EVENT_STREAM_CONFIG,
    botControl: env.EVENT_STREAM_BOT,
    monitoring: env.EVENT_STREAM_MONITORING,
    audioDrafts: env.EVENT_STREAM_AUDIO_DRAFTS,
  });
}

/** Age-based retention (stream key → ms) for the streams no consumer group reads. */
export function streamMaxAgesOf(env: BusEnv): Readonly<Record<string, number>> {
  return Object.freeze({
    [env.EVENT_STREAM_AUDIO_RESULTS]: env.EVENT_STREAM_AUDIO_RESULTS_MAX_AGE_MS,
    [env.EVENT_STREAM_MONITORING]: env.EVENT_STREAM_MONITORING_MAX_AGE_MS,
  });
}

/** Variables of apps that take audio in and publish chunks (the gateway, the bot-worker). */
export abstract class IngestEnv extends BusEnv {
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

  /**
   * After a session's input ended, when to check that every chunk it reserved was processed: a chunk
   * whose replica died before publishing it is republished or, when nothing of it was recorded,
   * reported failed, so the session still completes.
   */
  @EnvNumber()
  @IsInt()
  @Min(100)
  SESSION_REPAIR_AFTER_MS = 60_000;

  /** While a live chunk is recorded, its audio so far goes for a draft this often; 0 turns drafts off. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  DRAFT_INTERVAL_MS = 1_000;
}

/** The settings IngestModule needs, from the environment. */
export function ingestSettingsOf(env: IngestEnv) {
  return {
    keyPrefix: env.REDIS_KEY_PREFIX,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    audioTtlSeconds: env.AUDIO_TTL_SECONDS,
    ingestStream: env.EVENT_STREAM_AUDIO,
    ingestPartitions: env.AUDIO_INGEST_PARTITIONS,
    draftStream: env.EVENT_STREAM_AUDIO_DRAFTS,
    draftIntervalMs: env.DRAFT_INTERVAL_MS,
    repairAfterMs: env.SESSION_REPAIR_AFTER_MS,
  };
}

/** Variables of apps that call the model services (and may take audio in). */
export abstract class PipelineEnv extends IngestEnv {
  /** The Whisper service (or an OpenAI-compatible server with AUDIO_SERVICE_BACKEND=openai). */
  @IsUrl(HTTP_URL)
  AUDIO_SERVICE_URL = DEFAULT_AUDIO_SERVICE_URL;

  @IsIn(['whisper', 'openai'])
  AUDIO_SERVICE_BACKEND: 'whisper' | 'openai' = 'whisper';

  /** Bearer token for an OpenAI-compatible server. */
  @IsOptional()
  @IsString()
  AUDIO_SERVICE_API_KEY?: string;

  /** Model name for an OpenAI-compatible server. */
  @IsOptional()
  @IsString()
  AUDIO_SERVICE_MODEL?: string;

  @IsUrl(HTTP_URL)
  TRANSLATION_SERVICE_URL = DEFAULT_TRANSLATION_SERVICE_URL;

  /**
   * The API TRANSLATION_SERVICE_URL speaks: `service` (the translation service's contract) or
   * `libretranslate` (a LibreTranslate server). Not the configuration's `translation` settings,
   * which the translation service itself applies.
   */
  @IsIn(['service', 'libretranslate'])
  TRANSLATION_SERVICE_BACKEND: 'service' | 'libretranslate' = 'service';

  /** `api_key` for a LibreTranslate server that requires one. */
  @IsOptional()
  @IsString()
  TRANSLATION_SERVICE_API_KEY?: string;

  /** Per attempt, for both model services. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DOWNSTREAM_TIMEOUT_MS = 30_000;

  /** Attempts per call (first included), retried on transient failures only. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(10)
  DOWNSTREAM_MAX_ATTEMPTS = 3;

  /** Consecutive transient failures (attempts) of one model service that open its circuit. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  DOWNSTREAM_BREAKER_THRESHOLD = 5;

  /** How long an open circuit fails calls fast before letting one trial call through. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DOWNSTREAM_BREAKER_OPEN_MS = 10_000;
}
