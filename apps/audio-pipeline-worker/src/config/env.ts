import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PORTS } from '@livetranslate/contracts';
import { EnvNumber, PipelineEnv } from '@livetranslate/service-kit';

export class WorkerEnv extends PipelineEnv {
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = DEFAULT_PORTS.audioPipelineWorker;

  /** Chunks handled at once by this worker. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_MAX_IN_FLIGHT = 16;

  /** Deliveries of a chunk before it is dead-lettered. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_MAX_DELIVERIES = 5;

  /** A chunk pending this long on a silent worker is taken over by another. */
  @EnvNumber()
  @IsInt()
  @Min(100)
  WORKER_RECLAIM_IDLE_MS = 30_000;

  /** On SIGTERM, how long in-flight chunks get to finish before they are left for another worker. */
  @EnvNumber()
  @IsInt()
  @Min(1)
  WORKER_SHUTDOWN_GRACE_MS = 20_000;

  /** Drafts are dropped while more chunks than this wait on the session's ingest partition. */
  @EnvNumber()
  @IsInt()
  @Min(0)
  DRAFT_SHED_LAG = 2;
}

export const WORKER_ENV = Symbol('WORKER_ENV');
