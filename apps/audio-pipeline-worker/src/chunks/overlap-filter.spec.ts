import type { TranscriptSegment } from '@livetranslate/contracts';
import { ownedSegments } from './overlap-filter.js';

const word = (text: string, start_ms: number, end_ms: number): TranscriptSegment => ({
  text,
  start_ms,
  end_ms,
  confidence: 1,
});

describe('ownedSegments', () => {
  // Chunk 1 covers 2500–5500 ms; it repeats 2500–3000 from chunk 0 and chunk 2 will repeat 5000–5500.
  const chunk = { start_ms: 2500, duration_ms: 3000, overlap_ms: 500, trailing_overlap_ms: 500 };

  it('drops words whose middle falls in the half of an overlap owned by a neighbour', () => {
    const segments = [
      word('prev-owned', 2500, 2700), // middle 2600 < 2750
      word('mine-early', 2600, 3000), // middle 2800
      word('mine', 4000, 4300),
      word('mine-late', 5000, 5200), // middle 5100 < 5250
      word('next-owned', 5200, 5500), // middle 5350
    ];
    expect(ownedSegments(segments, chunk).map((s) => s.text)).toEqual(['mine-early', 'mine', 'mine-late']);
  });

  it('keeps everything when there is no neighbour', () => {
    const lone = { start_ms: 0, duration_ms: 3000 };
    expect(ownedSegments([word('a', 0, 100), word('b', 2900, 3000)], lone)).toHaveLength(2);
  });

  it('gives a word cut by the boundary to exactly one of two neighbours', () => {
    const first = { start_ms: 0, duration_ms: 3000, trailing_overlap_ms: 500 };
    const second = { start_ms: 2500, duration_ms: 3000, overlap_ms: 500, trailing_overlap_ms: 0 };
    // The word 2600–2900: the first chunk hears it whole, the second too; middle 2750 sits on the boundary.
    const cut = word('cut', 2600, 2900);
    const owners = [first, second].filter((c) => ownedSegments([cut], c).length === 1);
    expect(owners).toHaveLength(1);
  });
});
