import { Inject, Injectable, Logger } from '@nestjs/common';
import { isTerminalBotStatus, type BotStatus } from '@livetranslate/contracts';
import { StreamEventPublisher } from '@livetranslate/redis-streams';
import { WebhookOutbox } from '@livetranslate/service-kit';
import { BotStore, SessionCompletion, SessionEventLog, type BotRecord } from '@livetranslate/session-store';
import { BotMetrics } from './bot-metrics.js';

export interface TransitionDetails {
  reason?: string;
  stage?: BotStatus;
  recovery?: boolean;
}

/**
 * The one way a bot changes state: checked against the transition table and stored with its time
 * (BotStore, atomically), then published as BotStatusUpdate on the bot stream and appended to the
 * bot's session log, so clients see it among the transcript. A refused move is logged and counted.
 * A final status releases the bot's hold on its session's completion.
 */
@Injectable()
export class BotStateMachine {
  private readonly logger = new Logger(BotStateMachine.name);

  constructor(
    private readonly store: BotStore,
    private readonly publisher: StreamEventPublisher,
    @Inject(SessionEventLog) private readonly log: SessionEventLog,
    @Inject(SessionCompletion) private readonly completion: SessionCompletion,
    @Inject(WebhookOutbox) private readonly webhooks: WebhookOutbox,
    private readonly metrics: BotMetrics,
  ) {}

  /** Moves the bot; returns its record after the move, or null when the table refused it. */
  async move(
    bot: Pick<BotRecord, 'id' | 'tenantId'>,
    to: BotStatus,
    details: TransitionDetails = {},
  ): Promise<BotRecord | null> {
    const result = await this.store.transition(bot.tenantId, bot.id, to, details);
    // A final status repeated (a retry after a crash) still lets the session complete.
    if (
      !result.ok &&
      result.reason === 'illegal' &&
      isTerminalBotStatus(to) &&
      isTerminalBotStatus(result.current)
    ) {
      const record = await this.store.get(bot.tenantId, bot.id);
      if (record) await this.completion.release(record.sessionId);
    }
    if (!result.ok) {
      if (result.reason === 'illegal') {
        this.metrics.illegalTransitions.inc({ from: result.current, to });
        this.logger.warn(
          `bot ${bot.id}: refused ${result.current} → ${to}${details.reason ? ` (${details.reason})` : ''}`,
        );
      }
      return null;
    }
    const record = result.bot;
    this.metrics.transitions.inc({ to });
    if (isTerminalBotStatus(to)) this.metrics.ended.inc({ status: to, reason: details.reason ?? 'none' });
    const envelope = this.publisher.envelope('BotStatusUpdate', {
      bot_id: record.id,
      status: to,
      previous_status: result.previous,
      session_id: record.sessionId,
      tenant_id: record.tenantId,
      ...(details.reason ? { reason: details.reason } : {}),
      ...(details.stage ? { stage: details.stage } : {}),
    });
    await this.log.append(record.sessionId, envelope);
    await this.publisher.publishEnvelope(envelope);
    await this.webhooks.offer(record.sessionId, envelope);
    // The bot's last word is in its session's log: the session may complete now.
    if (isTerminalBotStatus(to)) await this.completion.release(record.sessionId);
    return record;
  }
}
