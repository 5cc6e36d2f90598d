import { readWavInfo, WAV_HEADER_BYTES } from '@livetranslate/audio';
import { ChunkAssembler } from './chunk-assembler.js';

/** PCM where sample i holds the value i (mod 32768), so slices can be identified. */
function ramp(fromSample: number, samples: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE((fromSample + i) % 32768, i * 2);
  return out;
}

const firstSample = (pcm: Buffer) => pcm.readInt16LE(0);

describe('ChunkAssembler', () => {
  // 1 kHz keeps the numbers readable: 1 sample = 1 ms.
  const rate = 1000;

  it('cuts fixed-length chunks that repeat the overlap, whatever the frame sizes', () => {
    const assembler = new ChunkAssembler(rate, 3000, 500);
    const chunks = [];
    let at = 0;
    for (const size of [700, 1, 2999, 1300, 3000, 1000]) {
      chunks.push(...assembler.push(ramp(at, size)));
      at += size;
    }
    // 9000 ms in: chunks cover 0–3000, 2500–5500, 5000–8000.
    expect(
      chunks.map((c) => [firstSample(c.pcm), c.durationMs, c.overlapMs, c.trailingOverlapMs, c.newAudioMs]),
    ).toEqual([
      [0, 3000, 0, 500, 3000],
      [2500, 3000, 500, 500, 2500],
      [5000, 3000, 500, 500, 2500],
    ]);
    expect(assembler.bufferedMs).toBe(1000);
    const last = assembler.flush()!;
    // The tail (7500–8000) and the remaining 1000 ms; nothing follows it.
    expect([
      firstSample(last.pcm),
      last.durationMs,
      last.overlapMs,
      last.trailingOverlapMs,
      last.newAudioMs,
    ]).toEqual([7500, 1500, 500, 0, 1000]);
    expect(assembler.flush()).toBeNull();
  });

  it('flushes the bare tail when the stream ended exactly on a chunk edge', () => {
    const assembler = new ChunkAssembler(rate, 2000, 400);
    expect(assembler.push(ramp(0, 2000))).toHaveLength(1);
    const last = assembler.flush()!;
    expect([firstSample(last.pcm), last.durationMs, last.overlapMs, last.newAudioMs]).toEqual([
      1600, 400, 400, 0,
    ]);
  });

  it('without overlap, chunks tile the stream', () => {
    const assembler = new ChunkAssembler(rate, 1000, 0);
    const chunks = assembler.push(ramp(0, 2500));
    expect(chunks.map((c) => [firstSample(c.pcm), c.overlapMs, c.trailingOverlapMs])).toEqual([
      [0, 0, 0],
      [1000, 0, 0],
    ]);
    expect(firstSample(assembler.flush()!.pcm)).toBe(2000);
  });

  it('keeps an odd byte for the next frame', () => {
    const assembler = new ChunkAssembler(rate, 1000, 0);
    const pcm = ramp(0, 1000);
    expect(assembler.push(pcm.subarray(0, 1001))).toHaveLength(0);
    const [chunk] = assembler.push(pcm.subarray(1001));
    expect(chunk!.pcm.equals(pcm)).toBe(true);
  });

  it('continues after another assembler: its first chunk repeats the given overlap', () => {
    const first = new ChunkAssembler(rate, 1000, 200);
    const stream = ramp(0, 3000);
    const [cut] = first.push(stream.subarray(0, 2000)); // the input dies after one chunk
    const next = new ChunkAssembler(rate, 1000, 200);
    next.continueAfter(cut!.pcm.subarray(cut!.pcm.length - 400)); // its trailing 200 ms
    const [chunk] = next.push(stream.subarray(2000, 3600)); // resent from where the chunk ended
    expect([chunk!.durationMs, chunk!.overlapMs, chunk!.newAudioMs]).toEqual([1000, 200, 800]);
    expect(firstSample(chunk!.pcm)).toBe(800);
    // Longer overlap than the session's is cut to the session's; after audio it is refused.
    const longer = new ChunkAssembler(rate, 1000, 100);
    longer.continueAfter(ramp(500, 300));
    expect(firstSample(longer.push(ramp(800, 900))[0]!.pcm)).toBe(700);
    expect(() => longer.continueAfter(ramp(0, 10))).toThrow('before any audio');
  });

  it('hands over mid-chunk: the buffered audio ends with the overlap the next input repeats, then is forgotten', () => {
    const assembler = new ChunkAssembler(rate, 1000, 200);
    expect(assembler.push(ramp(0, 1300))).toHaveLength(1); // 0–1000, then 800–1300 buffered
    const chunk = assembler.handover()!;
    expect([
      firstSample(chunk.pcm),
      chunk.durationMs,
      chunk.overlapMs,
      chunk.trailingOverlapMs,
      chunk.newAudioMs,
    ]).toEqual([800, 500, 200, 200, 300]);
    // The session carries that end now: this assembler repeats nothing more.
    expect(assembler.flush()).toBeNull();
    expect(assembler.handover()).toBeNull();
    // Fewer samples than the overlap: all of them are owed.
    const short = new ChunkAssembler(rate, 1000, 200);
    expect(short.push(ramp(0, 50))).toEqual([]);
    expect(short.handover()!.trailingOverlapMs).toBe(50);
  });

  it("hands over right on a chunk edge: nothing new, the last cut's own end is already owed", () => {
    const assembler = new ChunkAssembler(rate, 1000, 200);
    const [cut] = assembler.push(ramp(0, 1000));
    expect(cut!.trailingOverlapMs).toBe(200);
    expect(assembler.handover()).toBeNull();
    expect(assembler.flush()).toBeNull(); // not published twice by a later end
  });

  it('cuts exactly the bytes of the stream, with drafts of it, from frames of any size (odd ones too)', () => {
    const stream = ramp(0, 7_777);
    const assembler = new ChunkAssembler(rate, 1000, 250);
    let seed = 7;
    const nextSize = () => (seed = (seed * 48_271) % 2_147_483_647) % 700; // 0–699 bytes
    const chunks = [];
    for (let at = 0; at < stream.length;) {
      const size = Math.min(nextSize(), stream.length - at);
      chunks.push(...assembler.push(stream.subarray(at, at + size)));
      at += size;
      const draft = assembler.inProgress();
      if (draft) {
        const starts = chunks.length * 750 * 2; // each chunk moved the timeline 750 ms on
        expect(draft.pcm.equals(stream.subarray(starts, starts + draft.pcm.length))).toBe(true);
        expect(draft.wav.subarray(WAV_HEADER_BYTES).equals(draft.pcm)).toBe(true);
      }
    }
    chunks.push(assembler.flush()!);
    chunks.forEach((chunk, i) => {
      const from = i * 750 * 2;
      expect(chunk.pcm.equals(stream.subarray(from, from + chunk.pcm.length))).toBe(true);
      // The WAV frames those very bytes: its samples are the chunk's, in place.
      expect(chunk.wav.subarray(WAV_HEADER_BYTES).equals(chunk.pcm)).toBe(true);
      expect(chunk.pcm.buffer).toBe(chunk.wav.buffer);
      expect(readWavInfo(chunk.wav)).toMatchObject({
        sampleRate: rate,
        channels: 1,
        durationMs: chunk.durationMs,
      });
    });
    expect(chunks.slice(0, -1).every((c) => c.pcm.length === 2_000)).toBe(true);
    expect(chunks.at(-1)!.pcm.length).toBe(stream.length - (chunks.length - 1) * 1_500);
  });

  it('has nothing to flush before any audio', () => {
    expect(new ChunkAssembler(16000, 3000, 500).flush()).toBeNull();
  });
});
