import { slotTagOf } from './idempotency-markers.js';

describe('slotTagOf', () => {
  it('uses the whole name of an untagged stream, so the tagged marker lands on its slot', () => {
    expect(slotTagOf('stream:audio-ingest')).toBe('stream:audio-ingest');
  });

  it("uses a partitioned stream's own hash tag", () => {
    expect(slotTagOf('stream:audio-ingest:{3}')).toBe('3');
  });

  it('ignores an empty tag, as Redis does', () => {
    expect(slotTagOf('a{}b')).toBe('a{}b');
  });
});
