import { Injectable, Logger } from '@nestjs/common';
import {
  isTerminalBotStatus,
  QUEUE_NAMES,
  type BotRequested,
  type BotStopRequested,
} from '@livetranslate/contracts';
import { JobQueues } from '@livetranslate/service-kit';
import { BotStore } from '@livetranslate/session-store';
import type { BotJobData } from './bot-runner.js';
import { BotRunner } from './bot-runner.js';
import { BotStateMachine } from './bot-state.js';

export class UnknownBotError extends Error {}

/**
 * Bot commands from the stream: queue a requested bot (once), or stop one wherever it runs.
 * Commands run one at a time, in the order the stream delivered them: bots start in the order they
 * were requested, which concurrent handlers lose (each waits on its own bot's Redis node, on a
 * cluster, before it queues its job), and a stop never overtakes the request it stops.
 */
@Injectable()
export class BotControl {
  private readonly logger = new Logger(BotControl.name);
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: BotStore,
    private readonly state: BotStateMachine,
    private readonly queues: JobQueues,
    private readonly runner: BotRunner,
  ) {}

  /** Idempotent: a redelivered request finds the bot queued and its job (id = bot id) present. */
  request(command: BotRequested): Promise<void> {
    return this.inOrder(() => this.queueBot(command));
  }

  /**
   * Records the stop on the bot, where the worker running it (any replica) sees it within a poll.
   * A bot still waiting for a slot is taken off the queue and ends here.
   */
  stop(command: BotStopRequested): Promise<void> {
    return this.inOrder(() => this.stopBot(command));
  }

  /** Runs `command` after every command handed in before it, whatever became of them. */
  private inOrder(command: () => Promise<void>): Promise<void> {
    const run = this.last.then(command, command);
    this.last = run.catch(() => undefined);
    return run;
  }

  private async queueBot(command: BotRequested): Promise<void> {
    const bot = await this.store.get(command.tenant_id, command.bot_id);
    if (!bot)
      throw new UnknownBotError(`bot ${command.bot_id} of tenant ${command.tenant_id} does not exist`);
    if (isTerminalBotStatus(bot.status)) return;
    if (bot.status === 'requested') await this.state.move(bot, 'queued');
    const data: BotJobData = { tenantId: bot.tenantId, botId: bot.id };
    await this.queues.queue<BotJobData>(QUEUE_NAMES.botLifecycle).add('bot', data, {
      jobId: bot.id,
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 86_400 },
    });
  }

  private async stopBot(command: BotStopRequested): Promise<void> {
    if (!command.tenant_id)
      throw new UnknownBotError(`BotStopRequested for ${command.bot_id} names no tenant`);
    const reason = command.reason ?? 'stop_requested';
    if (!(await this.store.requestStop(command.tenant_id, command.bot_id, reason))) return;
    const bot = await this.store.get(command.tenant_id, command.bot_id);
    if (!bot || (bot.status !== 'queued' && bot.status !== 'requested')) return;
    const job = await this.queues.queue<BotJobData>(QUEUE_NAMES.botLifecycle).getJob(bot.id);
    try {
      if (job && (await job.isWaiting())) await job.remove();
      else if (job) return; // it just started: the run sees the stop request
    } catch (error) {
      // Locked: a worker took it meanwhile and will see the request.
      this.logger.log(`bot ${bot.id} started while being stopped: ${(error as Error).message}`);
      return;
    }
    await this.runner.endUnstarted(bot, 'stop_requested');
  }
}
