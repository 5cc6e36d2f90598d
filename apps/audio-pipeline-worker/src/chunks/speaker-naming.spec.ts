import type { TranscriptSegment } from '@livetranslate/contracts';
import { nameSpeakers } from './speaker-naming.js';

const seg = (start: number, end: number, speaker?: string): TranscriptSegment => ({
  start_ms: start,
  end_ms: end,
  text: 'w',
  confidence: 1,
  ...(speaker ? { speaker } : {}),
});
const turn = (name: string, start: number, end: number, confidence = 0.95) => ({
  name,
  start_ms: start,
  end_ms: end,
  confidence,
});

describe('nameSpeakers', () => {
  it('names each segment by the turn it overlaps most, after the 0.5 s caption delay', () => {
    // Captions lag by 500 ms: Alice's turn reported 500–2500 covers speech at 0–2000.
    const named = nameSpeakers(
      [seg(100, 400), seg(1600, 1900), seg(2200, 2600)],
      [turn('Alice', 500, 2500), turn('Bob', 2600, 4000)],
    );
    expect(named.map((s) => s.speaker)).toEqual(['Alice', 'Alice', 'Bob']);
  });

  it("replaces the model's anonymous labels with caption names", () => {
    const named = nameSpeakers([seg(0, 300, 'SPEAKER_1')], [turn('Alice', 500, 1500)]);
    expect(named[0]!.speaker).toBe('Alice');
  });

  it('takes the nearest turn within 2 s when none overlaps, and none beyond', () => {
    const turns = [turn('Alice', 500, 1500)];
    expect(nameSpeakers([seg(2500, 2800)], turns)[0]!.speaker).toBe('Alice'); // 1.5 s after
    expect(nameSpeakers([seg(3100, 3400, 'SPEAKER_0')], turns)[0]!.speaker).toBe('SPEAKER_0'); // 2.1 s after
  });

  it('ignores turns below 0.7 confidence, and leaves segments alone without turns', () => {
    expect(nameSpeakers([seg(0, 300)], [turn('Alice', 0, 1000, 0.6)])[0]!.speaker).toBeUndefined();
    expect(nameSpeakers([seg(0, 300, 'SPEAKER_0')], undefined)).toEqual([seg(0, 300, 'SPEAKER_0')]);
  });
});
