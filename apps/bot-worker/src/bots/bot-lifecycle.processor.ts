import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { isTerminalBotStatus, QUEUE_NAMES } from '@livetranslate/contracts';
import { JobQueues } from '@livetranslate/service-kit';
import { BotStore } from '@livetranslate/session-store';
import { DelayedError, type Job, type Worker } from 'bullmq';
import { BOT_WORKER_ENV, type BotWorkerEnv } from '../config/env.js';
import { BotHandedOver, BotRunner, type BotJobData } from './bot-runner.js';

/**
 * The BullMQ side of bots: a worker on the bot queue with MAX_CONCURRENT_BOTS slots (more jobs
 * wait, in order), BullMQ's lock and stalled-job detection to notice a dead worker, and a hand-over
 * of every running bot when this worker drains.
 */
@Injectable()
export class BotLifecycleProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BotLifecycleProcessor.name);
  private readonly draining = new AbortController();
  private worker?: Worker<BotJobData>;

  constructor(
    @Inject(BOT_WORKER_ENV) private readonly env: BotWorkerEnv,
    private readonly queues: JobQueues,
    private readonly runner: BotRunner,
    private readonly store: BotStore,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = this.queues.worker<BotJobData>(
      QUEUE_NAMES.botLifecycle,
      (job, token) => this.process(job, token),
      {
        concurrency: this.env.MAX_CONCURRENT_BOTS,
        lockDuration: this.env.BOT_LOCK_MS,
        stalledInterval: Math.max(250, Math.floor(this.env.BOT_LOCK_MS / 2)),
        // Our own policy (BotRunner) decides first; BullMQ's limit is the backstop.
        maxStalledCount: this.env.BOT_MAX_RECOVERY_ATTEMPTS + 1,
      },
    );
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  private async process(job: Job<BotJobData>, token?: string): Promise<void> {
    try {
      await this.runner.run(job.data, this.draining.signal);
    } catch (error) {
      if (error instanceof BotHandedOver && token) {
        // Back to the queue at once, for a live worker to rejoin.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw error;
    }
  }

  /** A job BullMQ gave up on (it stalled too often, or the run threw): the bot must not stay live. */
  private async onFailed(job: Job<BotJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const bot = await this.store.get(job.data.tenantId, job.data.botId).catch(() => null);
    if (!bot || isTerminalBotStatus(bot.status)) return;
    this.logger.warn(`bot ${bot.id}: its job failed (${error.message}); ending it`);
    const stalled = /stalled/i.test(error.message);
    await this.runner
      .endUnstarted(bot, stalled ? 'worker_lost' : 'capture_failed', stalled ? bot.status : undefined)
      .catch((e: Error) => this.logger.error(`bot ${bot.id}: could not be ended: ${e.message}`));
  }

  /** Hands every running bot over (their state stays; another worker rejoins), then stops taking jobs. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining.abort();
    await this.worker?.close();
  }
}
