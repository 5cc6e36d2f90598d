import { Inject, Injectable, Logger } from '@nestjs/common';
import { isTerminalBotStatus, type BotEndReason } from '@livetranslate/contracts';
import { LiveStreams, SessionLifecycle, SessionRepository } from '@livetranslate/ingest';
import { BotStore, type BotRecord } from '@livetranslate/session-store';
import { BOT_WORKER_ENV, type BotWorkerEnv } from '../config/env.js';
import { MeetingDrivers } from '../drivers/meeting-drivers.js';
import { BotMetrics } from './bot-metrics.js';
import { BotRun } from './bot-run.js';
import { BotStateMachine } from './bot-state.js';
import { SpeakerTimeline } from './speaker-timeline.js';

/** What a bot-lifecycle job carries: enough to find the bot. */
export interface BotJobData {
  tenantId: string;
  botId: string;
}

/**
 * Runs a bot from its job. The recovery policy: a job that starts on a bot already past `queued`
 * means the worker running it was lost (BullMQ found its lock expired and handed the job on). The
 * bot then rejoins here, from `spawning`, unless it has already been recovered
 * BOT_MAX_RECOVERY_ATTEMPTS times: then it ends `failed`/`worker_lost` with the stage it was in.
 * A planned hand-over (a worker draining on SIGTERM) is not counted as a recovery.
 */
@Injectable()
export class BotRunner {
  private readonly logger = new Logger(BotRunner.name);

  constructor(
    @Inject(BOT_WORKER_ENV) private readonly env: BotWorkerEnv,
    private readonly store: BotStore,
    private readonly state: BotStateMachine,
    private readonly sessions: SessionRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly liveStreams: LiveStreams,
    private readonly drivers: MeetingDrivers,
    private readonly metrics: BotMetrics,
  ) {}

  async run(job: BotJobData, handover: AbortSignal): Promise<void> {
    const bot = await this.store.get(job.tenantId, job.botId);
    if (!bot || isTerminalBotStatus(bot.status)) return; // stopped while queued, or finished
    if (bot.stopRequested) return this.endUnstarted(bot, 'stop_requested');
    const rejoin = bot.status !== 'queued' && bot.status !== 'requested';
    const planned = rejoin && (await this.store.takeHandover(bot.tenantId, bot.id));
    if (rejoin && !planned && bot.recoveries >= this.env.BOT_MAX_RECOVERY_ATTEMPTS) {
      return this.endUnstarted(bot, 'worker_lost', bot.status);
    }
    if (bot.status === 'requested') await this.state.move(bot, 'queued');
    const spawned = await this.state.move(
      bot,
      'spawning',
      rejoin ? { reason: planned ? 'handover' : 'recovering', recovery: !planned } : {},
    );
    if (!spawned) return;
    this.metrics.running.inc();
    try {
      await this.attend(spawned, handover);
    } finally {
      this.metrics.running.dec();
    }
  }

  private async attend(bot: BotRecord, handover: AbortSignal): Promise<void> {
    const session = await this.sessions.get(bot.sessionId);
    if (!session || session.status !== 'open') return this.endUnstarted(bot, 'join_failed');
    let url: URL;
    let driver;
    try {
      url = new URL(bot.meetingUrl);
      driver = this.drivers.forUrl(url);
    } catch (error) {
      this.logger.warn(`bot ${bot.id}: ${(error as Error).message}`);
      return this.endUnstarted(bot, 'join_failed');
    }
    await this.state.move(bot, 'joining');
    const timeline = new SpeakerTimeline(this.env.BOT_CAPTION_TOLERANCE_MS);
    const stream = this.liveStreams.open(session, 'bot', {
      speakersFor: (start, end) => timeline.speakersFor(start, end),
    });
    const leaving = new AbortController();
    let meeting;
    try {
      meeting = await driver.join(url, {
        platform: bot.platform,
        botName: bot.botName,
        sampleRate: session.options.sample_rate,
        epochMs: bot.meetingEpochMs,
        signal: leaving.signal,
      });
    } catch (error) {
      this.logger.warn(`bot ${bot.id}: joining ${driver.name} meeting failed: ${(error as Error).message}`);
      return this.endUnstarted(bot, 'join_failed', undefined, stream);
    }
    const run = new BotRun(
      bot,
      meeting,
      {
        state: this.state,
        stream,
        timeline,
        timeouts: {
          admissionMs: this.env.BOT_ADMISSION_TIMEOUT_MS,
          noAudioMs: this.env.BOT_NO_AUDIO_TIMEOUT_MS,
          aloneMs: this.env.BOT_ALONE_TIMEOUT_MS,
          maxDurationMs: this.env.BOT_MAX_DURATION_MS,
        },
        pinEpoch: (epochMs) => this.store.pinMeetingEpoch(bot.tenantId, bot.id, epochMs),
        stopRequested: () => this.store.stopRequested(bot.tenantId, bot.id),
        heartbeat: () => this.store.heartbeat(bot.tenantId, bot.id),
        heartbeatMs: this.env.BOT_HEARTBEAT_MS,
        log: (message) => this.logger.warn(`bot ${bot.id}: ${message}`),
      },
      handover,
    );
    try {
      const outcome = await run.run(session.timelineMs);
      if ('handedOver' in outcome) {
        await this.store.markHandover(bot.tenantId, bot.id);
        throw new BotHandedOver(bot.id);
      }
    } finally {
      leaving.abort();
    }
  }

  /** Ends a bot that never got into its meeting: its session ends too, with no audio. */
  async endUnstarted(
    bot: BotRecord,
    reason: BotEndReason,
    stage?: BotRecord['status'],
    stream?: { end(reason: string): Promise<unknown> },
  ): Promise<void> {
    if (stream) await stream.end(`bot_${reason}`);
    else {
      const session = await this.sessions.get(bot.sessionId);
      if (session) await this.lifecycle.end(session, `bot_${reason}`);
    }
    const to = reason === 'stop_requested' ? 'stopped' : 'failed';
    await this.state.move(bot, to, { reason, ...(stage ? { stage } : {}) });
  }
}

/** Thrown from a job whose bot was handed over: the job stays for another worker to pick up. */
export class BotHandedOver extends Error {
  constructor(botId: string) {
    super(`bot ${botId} handed over to another worker`);
    this.name = 'BotHandedOver';
  }
}
