import type { BotStatus } from '@livetranslate/contracts';
import type { LiveAudioStream } from '@livetranslate/ingest';
import type { BotRecord } from '@livetranslate/session-store';
import { EventChannel, type MeetingEvent } from '../drivers/meeting-driver.js';
import { BotRun, type BotRunDeps } from './bot-run.js';
import type { BotStateMachine } from './bot-state.js';
import { SpeakerTimeline } from './speaker-timeline.js';

const bot = { id: 'b-1', tenantId: 't', status: 'joining' } as BotRecord;

function harness(timeouts: Partial<BotRunDeps['timeouts']> = {}) {
  const steps: string[] = [];
  const meeting = new EventChannel<MeetingEvent>();
  let stop: string | null = null;
  const state = {
    move: async (_bot: unknown, to: BotStatus, details: { reason?: string } = {}) => {
      steps.push(details.reason ? `${to}:${details.reason}` : to);
      return { status: to } as BotRecord;
    },
  } as unknown as BotStateMachine;
  const stream = {
    sampleRate: 1_000,
    push: async (pcm: Buffer) => void steps.push(`push:${pcm.length}`),
    end: async (reason: string) => void steps.push(`session-end:${reason}`),
    close: async () => void steps.push('session-close'),
  } as unknown as LiveAudioStream;
  const handover = new AbortController();
  const run = new BotRun(
    bot,
    {
      events: () => meeting,
      leave: async () => {
        steps.push('leave');
        meeting.close();
      },
    },
    {
      state,
      stream,
      timeline: new SpeakerTimeline(0),
      timeouts: {
        admissionMs: 60_000,
        noAudioMs: 60_000,
        aloneMs: 60_000,
        maxDurationMs: 600_000,
        ...timeouts,
      },
      pinEpoch: async (epoch) => epoch,
      stopRequested: async () => stop,
      heartbeat: async () => undefined,
      heartbeatMs: 60_000,
      log: () => undefined,
    },
    handover.signal,
  );
  return { run, steps, meeting, handover, requestStop: (reason: string) => (stop = reason) };
}

describe('BotRun', () => {
  it('goes through the lobby into the meeting, feeds its audio, and leaves before ending when the meeting ends', async () => {
    const h = harness();
    const done = h.run.run(0);
    h.meeting.push({ type: 'lobby' });
    h.meeting.push({ type: 'admitted', epochMs: Date.now() });
    h.meeting.push({ type: 'audio', pcm: Buffer.alloc(200), atMs: 0 });
    h.meeting.push({ type: 'ended' });
    expect(await done).toEqual({ ended: 'meeting_ended' });
    expect(h.steps).toEqual([
      'awaiting_admission',
      'active',
      'push:200',
      'leaving:meeting_ended',
      'leave',
      'session-end:bot_meeting_ended',
      'stopped:meeting_ended',
    ]);
  });

  it('fails after the admission timeout when nobody lets it in', async () => {
    const h = harness({ admissionMs: 50 });
    const done = h.run.run(0);
    h.meeting.push({ type: 'lobby' });
    expect(await done).toEqual({ ended: 'admission_timeout' });
    expect(h.steps.at(-1)).toBe('failed:admission_timeout');
  });

  it('ends alone_in_meeting after the others left, unless someone comes back', async () => {
    const h = harness({ aloneMs: 80 });
    const done = h.run.run(0);
    h.meeting.push({ type: 'admitted', epochMs: Date.now() });
    h.meeting.push({ type: 'participants', count: 0 });
    h.meeting.push({ type: 'participants', count: 1 }); // back in time: timer cleared
    await new Promise((r) => setTimeout(r, 150));
    h.meeting.push({ type: 'participants', count: 0 });
    expect(await done).toEqual({ ended: 'alone_in_meeting' });
  });

  it('acts on a stop request from any replica', async () => {
    const h = harness();
    const done = h.run.run(0);
    h.meeting.push({ type: 'admitted', epochMs: Date.now() });
    h.requestStop('stop_requested');
    expect(await done).toEqual({ ended: 'stop_requested' });
    expect(h.steps.slice(-3)).toEqual(['leave', 'session-end:bot_stop_requested', 'stopped:stop_requested']);
  });

  it('on hand-over keeps its state and its session open, flushing what it heard', async () => {
    const h = harness();
    const done = h.run.run(0);
    h.meeting.push({ type: 'admitted', epochMs: Date.now() });
    await new Promise((r) => setTimeout(r, 20));
    h.handover.abort();
    expect(await done).toEqual({ handedOver: true });
    expect(h.steps).toEqual(['active', 'leave', 'session-close']);
  });
});
