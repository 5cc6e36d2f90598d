import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { queueKeyPrefix, type QueueName } from '@livetranslate/contracts';
import { closeRedis, openRedis, type RedisClient, type RedisConnection } from '@livetranslate/redis-streams';
import {
  Queue,
  Worker,
  type JobsOptions,
  type Processor,
  type RepeatOptions,
  type WorkerOptions,
} from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface JobQueuesSettings {
  /** The same Redis (server or cluster) the event bus uses. */
  connection: RedisConnection;
  /** The app's REDIS_KEY_PREFIX: queues of different prefixes never see each other's jobs. */
  keyPrefix: string;
  /** This app's name, for connection names. */
  app: string;
  /** Registry to export queue counters to (the app's /metrics). */
  registry?: Registry;
}

/** Job states exported as `livetranslate_jobs{queue,state}`. */
export const EXPORTED_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The one way apps create BullMQ queues, workers and job schedulers: connection from the bus's
 * Redis settings, key prefix from REDIS_KEY_PREFIX, queue names from contracts, job counts and
 * stalls as Prometheus metrics, and a graceful close (workers finish their active jobs first).
 */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueues.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly clients: RedisClient[] = [];
  private readonly stalled?: Counter<'queue'>;
  private readonly failed?: Counter<'queue'>;
  private closed = false;

  constructor(private readonly settings: JobQueuesSettings) {
    const registry = settings.registry;
    if (!registry) return;
    const queues = this.queues;
    new Gauge({
      name: 'livetranslate_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const [name, queue] of queues) {
          const counts = await queue.getJobCounts(...EXPORTED_JOB_STATES);
          for (const state of EXPORTED_JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
    this.stalled = new Counter({
      name: 'livetranslate_jobs_stalled_total',
      help: 'Jobs whose worker stopped renewing their lock (crashed or blocked), seen by this app',
      labelNames: ['queue'],
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'livetranslate_jobs_failed_total',
      help: 'Job attempts that failed in this app',
      labelNames: ['queue'],
      registers: [registry],
    });
  }

  /**
   * A connection for one queue or worker, opened like every other (server or cluster; commands wait
   * for a reconnect, as BullMQ's workers require). BullMQ duplicates it for a worker's blocking
   * reads and closes the duplicate; this one is closed here, after the queues and workers.
   */
  private client(name: string): RedisClient {
    const client = openRedis(this.settings.connection, name);
    client.on('error', () => undefined); // BullMQ reports failures through its own events
    this.clients.push(client);
    return client;
  }

  prefixOf(name: QueueName): string {
    return queueKeyPrefix(this.settings.keyPrefix, name);
  }

  /** The queue (one per name and app), for adding jobs and reading their state. */
  queue<Data = unknown>(name: QueueName, defaultJobOptions?: JobsOptions): Queue<Data> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.client(`${this.settings.app}:queue:${name}`),
        prefix: this.prefixOf(name),
        ...(defaultJobOptions ? { defaultJobOptions } : {}),
      });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue as Queue<Data>;
  }

  /** A worker processing `name`; closed (after its active jobs) when the app shuts down. */
  worker<Data = unknown, Result = unknown>(
    name: QueueName,
    processor: Processor<Data, Result>,
    options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
  ): Worker<Data, Result> {
    // The queue is created too, so its counts reach /metrics from the consuming app as well.
    this.queue(name);
    const worker = new Worker<Data, Result>(name, processor, {
      ...options,
      connection: this.client(`${this.settings.app}:worker:${name}`),
      prefix: this.prefixOf(name),
    });
    worker.on('error', (error) => this.logger.warn(`worker ${name}: ${error.message}`));
    worker.on('stalled', (jobId) => {
      this.stalled?.inc({ queue: name });
      this.logger.warn(`job ${jobId} on ${name} stalled; BullMQ moves it back to wait or fails it`);
    });
    worker.on('failed', () => this.failed?.inc({ queue: name }));
    this.workers.push(worker as Worker);
    return worker;
  }

  /** Creates or updates a repeating job (BullMQ job scheduler), idempotently by id. */
  async schedule<Data>(
    name: QueueName,
    schedulerId: string,
    repeat: Omit<RepeatOptions, 'key'>,
    template: { name?: string; data?: Data; opts?: Omit<JobsOptions, 'jobId' | 'repeat' | 'delay'> } = {},
  ): Promise<void> {
    await this.queue(name).upsertJobScheduler(schedulerId, repeat, template as never);
  }

  /**
   * Runs `task` once per `everyMs` however many replicas run: a job scheduler (idempotent by
   * `schedulerId`) feeds one worker per replica, one job at a time, so a replica that dies mid-run
   * leaves the next run to another.
   */
  async every(
    name: QueueName,
    schedulerId: string,
    everyMs: number,
    task: () => Promise<unknown>,
  ): Promise<void> {
    this.worker(name, () => task(), { concurrency: 1 });
    await this.schedule(
      name,
      schedulerId,
      { every: everyMs },
      { name: schedulerId, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** Workers first (each lets its active jobs finish), then the queues. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    await Promise.allSettled(this.clients.map((client) => closeRedis(client)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
