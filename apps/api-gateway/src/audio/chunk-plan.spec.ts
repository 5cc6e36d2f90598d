import { planChunks } from './chunk-plan.js';

describe('planChunks', () => {
  it('tiles a recording with overlapping windows, the last one shorter', () => {
    expect(planChunks(7000, 3000, 500)).toEqual([
      { start: 0, end: 3000, overlap: 0, trailingOverlap: 500 },
      { start: 2500, end: 5500, overlap: 500, trailingOverlap: 500 },
      { start: 5000, end: 7000, overlap: 500, trailingOverlap: 0 },
    ]);
  });

  it('makes one window of a short recording, none of an empty one', () => {
    expect(planChunks(1200, 3000, 500)).toEqual([{ start: 0, end: 1200, overlap: 0, trailingOverlap: 0 }]);
    expect(planChunks(0, 3000, 500)).toEqual([]);
  });

  it('covers every frame, and every frame but the overlaps exactly once', () => {
    const windows = planChunks(10_001, 3000, 700);
    expect(windows[0]!.start).toBe(0);
    expect(windows[windows.length - 1]!.end).toBe(10_001);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.start).toBe(windows[i - 1]!.end - 700);
  });
});
