import { SpeakerTimeline } from './speaker-timeline.js';

describe('SpeakerTimeline', () => {
  it('maps caption turns onto the session timeline through the audio anchor', async () => {
    const timeline = new SpeakerTimeline(0);
    // Audio heard at meeting 10 s landed at session 0.
    timeline.anchorAt(10_000, 0);
    timeline.caption('Alice', 10_500, 12_000, 0.9);
    timeline.caption('Alice', 10_500, 13_000, 0.95); // the same line, grown
    timeline.caption('Bob', 13_200, 15_000, 0.9);
    expect(await timeline.speakersFor(0, 3_000)).toEqual(
      [
        { name: 'Alice', start_ms: 500, end_ms: 3_000, confidence: 0.95 },
        { name: 'Bob', start_ms: 3_200, end_ms: 5_000, confidence: 0.9 },
      ].slice(0, 1),
    );
    expect((await timeline.speakersFor(3_000, 6_000)).map((t) => t.name)).toEqual(['Bob']);
  });

  it('waits for captions to cover the window, at most the tolerance', async () => {
    let now = 0;
    const timeline = new SpeakerTimeline(2_000, () => now);
    timeline.anchorAt(0, 0);
    timeline.caption('Alice', 0, 1_000, 0.9);
    const pending = timeline.speakersFor(0, 3_000);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    timeline.caption('Alice', 0, 3_100, 0.9); // now covered
    expect((await pending).map((t) => t.end_ms)).toEqual([3_100]);

    const late = timeline.speakersFor(3_000, 6_000);
    now = 2_500; // the tolerance has passed by the time the waiter wakes
    expect((await late).map((t) => t.name)).toEqual(['Alice']);
  });

  it('has no speakers before any audio was heard', async () => {
    const timeline = new SpeakerTimeline(1_000);
    timeline.caption('Alice', 0, 1_000, 0.9);
    expect(await timeline.speakersFor(0, 1_000)).toEqual([]);
  });
});
