import { BOT_END_STATUS, type BotEndReason, type BotStatus } from '@livetranslate/contracts';
import type { LiveAudioStream } from '@livetranslate/ingest';
import type { BotRecord } from '@livetranslate/session-store';
import type { MeetingConnection, MeetingEvent } from '../drivers/meeting-driver.js';
import type { BotStateMachine } from './bot-state.js';
import type { SpeakerTimeline } from './speaker-timeline.js';

export interface BotTimeouts {
  admissionMs: number;
  noAudioMs: number;
  aloneMs: number;
  maxDurationMs: number;
}

/** What one run of a bot needs from around it. */
export interface BotRunDeps {
  state: BotStateMachine;
  stream: LiveAudioStream;
  timeline: SpeakerTimeline;
  timeouts: BotTimeouts;
  /** Pins the meeting clock's origin on the bot's first admission; returns the pinned one. */
  pinEpoch(epochMs: number): Promise<number>;
  /** The reason a stop was asked for, if one was (polled). */
  stopRequested(): Promise<string | null>;
  heartbeat(): Promise<void>;
  heartbeatMs: number;
  log(message: string): void;
}

/** How a run ended: the bot finished (stopped/failed), or it was handed over (worker shutting down). */
export type RunOutcome = { ended: BotEndReason } | { handedOver: true };

const STOP_POLL_MS = 250;

/**
 * One bot attending one meeting, from joining to leaving: follows the meeting's events through the
 * lifecycle, enforces the timeouts, feeds audio into the session and captions into the speaker
 * timeline, acts on stop requests, and on the way out flushes the last audio before the final state.
 */
export class BotRun {
  private status: BotStatus;
  private endReason?: BotEndReason;
  private finish?: () => void;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private intervals: NodeJS.Timeout[] = [];
  private sessionMs: number;
  private heardAudio = false;

  constructor(
    private readonly bot: BotRecord,
    private readonly meeting: MeetingConnection,
    private readonly deps: BotRunDeps,
    private readonly handover: AbortSignal,
  ) {
    this.status = bot.status;
    this.sessionMs = 0;
  }

  /** Runs until the bot ends or is handed over; the bot is in `joining` when this starts. */
  async run(sessionTimelineMs: number): Promise<RunOutcome> {
    this.sessionMs = sessionTimelineMs;
    const finished = new Promise<void>((resolve) => (this.finish = resolve));
    this.intervals.push(
      setInterval(() => void this.pollStop(), STOP_POLL_MS),
      setInterval(() => void this.deps.heartbeat().catch(() => undefined), this.deps.heartbeatMs),
    );
    const onHandover = () => this.finish?.();
    this.handover.addEventListener('abort', onHandover, { once: true });
    const consume = this.consume();
    await Promise.race([finished, consume]);
    this.handover.removeEventListener('abort', onHandover);
    this.clearTimers();
    if (!this.endReason && this.handover.aborted) {
      // The worker is shutting down: keep the bot's state, keep the session open; another worker
      // rejoins. What was heard so far still becomes a chunk.
      await this.meeting.leave();
      await this.deps.stream.close();
      return { handedOver: true };
    }
    await this.leaveWith(this.endReason ?? 'meeting_ended');
    await consume.catch(() => undefined);
    return { ended: this.endReason ?? 'meeting_ended' };
  }

  private async consume(): Promise<void> {
    for await (const event of this.meeting.events()) {
      if (this.endReason) break;
      await this.onEvent(event);
    }
    // The meeting closed its events without saying why: treat it as over.
    this.end('meeting_ended');
  }

  private async onEvent(event: MeetingEvent): Promise<void> {
    switch (event.type) {
      case 'lobby':
        await this.moveTo('awaiting_admission');
        this.startTimer('admission', this.deps.timeouts.admissionMs, 'admission_timeout');
        return;
      case 'admitted': {
        this.stopTimer('admission');
        const epoch = await this.deps.pinEpoch(event.epochMs);
        await this.moveTo('active');
        this.startTimer('no_audio', this.deps.timeouts.noAudioMs, 'no_audio_timeout');
        this.startTimer('max', epoch + this.deps.timeouts.maxDurationMs - Date.now(), 'max_duration');
        return;
      }
      case 'denied':
        return this.end('admission_denied');
      case 'removed':
        return this.end('removed_from_meeting');
      case 'ended':
        return this.end('meeting_ended');
      case 'participants':
        if (event.count === 0) this.startTimer('alone', this.deps.timeouts.aloneMs, 'alone_in_meeting');
        else this.stopTimer('alone');
        return;
      case 'caption':
        this.deps.timeline.caption(event.speaker, event.startMs, event.endMs, event.confidence);
        return;
      case 'audio':
        if (this.status !== 'active') return;
        if (!this.heardAudio) {
          this.heardAudio = true;
          this.deps.timeline.anchorAt(event.atMs, this.sessionMs);
        }
        this.startTimer('no_audio', this.deps.timeouts.noAudioMs, 'no_audio_timeout');
        this.sessionMs += (event.pcm.length / 2 / this.deps.stream.sampleRate) * 1000;
        // Not awaited: a chunk may wait for late captions while the meeting goes on; the stream
        // keeps its chunks in order by itself.
        this.deps.stream.push(event.pcm).catch((error: Error) => {
          this.deps.log(`audio could not be published: ${error.message}`);
          this.end('capture_failed');
        });
        return;
      case 'error':
        this.deps.log(`meeting error: ${event.message}`);
        return this.end('capture_failed');
    }
  }

  /** Ends the run with `reason`, once; the first reason wins. */
  end(reason: BotEndReason): void {
    if (this.endReason) return;
    this.endReason = reason;
    this.finish?.();
  }

  private async leaveWith(reason: BotEndReason): Promise<void> {
    if (['joining', 'awaiting_admission', 'active'].includes(this.status))
      await this.moveTo('leaving', reason);
    await this.meeting.leave();
    // The last buffered audio becomes a final chunk before the bot reports its end.
    await this.deps.stream.end(`bot_${reason}`);
    await this.moveTo(BOT_END_STATUS[reason], reason);
  }

  private async moveTo(to: BotStatus, reason?: string): Promise<void> {
    const moved = await this.deps.state.move(this.bot, to, reason ? { reason } : {});
    if (moved) this.status = moved.status;
  }

  private async pollStop(): Promise<void> {
    if (this.endReason) return;
    const requested = await this.deps.stopRequested().catch(() => null);
    if (requested) this.end('stop_requested');
  }

  private startTimer(name: string, ms: number, reason: BotEndReason): void {
    this.stopTimer(name);
    this.timers.set(
      name,
      setTimeout(() => this.end(reason), Math.max(0, ms)),
    );
  }

  private stopTimer(name: string): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  private clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const interval of this.intervals) clearInterval(interval);
    this.intervals = [];
  }
}
