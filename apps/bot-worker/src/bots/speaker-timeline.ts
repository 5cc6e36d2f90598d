import type { SpeakerTurn } from '@livetranslate/contracts';

interface Turn {
  name: string;
  startMs: number;
  endMs: number;
  confidence: number;
}

/**
 * Who spoke when, from the meeting's captions, mapped onto the session timeline. Captions arrive
 * in meeting time (and keep growing while someone speaks); audio reaches the session as it is
 * pushed, so an anchor ties the two clocks together. A chunk waits at most `toleranceMs` for the
 * captions of its window; later captions miss that chunk.
 */
export class SpeakerTimeline {
  private readonly turns = new Map<string, Turn>();
  /** Meeting ms of the latest caption seen: captions are known up to here. */
  private seenUntilMs = -Infinity;
  private anchor?: { meetingMs: number; sessionMs: number };
  private waiters: Array<() => void> = [];

  constructor(
    private readonly toleranceMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Ties clocks: audio heard at `meetingMs` lands at `sessionMs` on the session timeline. */
  anchorAt(meetingMs: number, sessionMs: number): void {
    this.anchor = { meetingMs, sessionMs };
  }

  caption(name: string, startMs: number, endMs: number, confidence: number): void {
    const key = `${name}\u0000${startMs}`;
    const turn = this.turns.get(key);
    if (turn) {
      turn.endMs = Math.max(turn.endMs, endMs);
      turn.confidence = Math.max(turn.confidence, confidence);
    } else this.turns.set(key, { name, startMs, endMs, confidence });
    this.seenUntilMs = Math.max(this.seenUntilMs, endMs);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * The turns overlapping a chunk's window (session ms), once captions cover its end or the
   * tolerance has passed, whichever is first.
   */
  async speakersFor(startMs: number, endMs: number): Promise<SpeakerTurn[]> {
    const deadline = this.clock() + this.toleranceMs;
    while (this.anchor && this.toMeeting(endMs) > this.seenUntilMs && this.clock() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - this.clock()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (!this.anchor) return [];
    const out: SpeakerTurn[] = [];
    for (const turn of this.turns.values()) {
      const start = this.toSession(turn.startMs);
      const end = this.toSession(turn.endMs);
      if (end <= startMs || start >= endMs) continue;
      out.push({
        name: turn.name,
        start_ms: Math.max(0, Math.round(start)),
        end_ms: Math.max(0, Math.round(end)),
        confidence: turn.confidence,
      });
    }
    return out.sort((a, b) => a.start_ms - b.start_ms);
  }

  private toMeeting(sessionMs: number): number {
    return this.anchor!.meetingMs + (sessionMs - this.anchor!.sessionMs);
  }

  private toSession(meetingMs: number): number {
    return this.anchor!.sessionMs + (meetingMs - this.anchor!.meetingMs);
  }
}
