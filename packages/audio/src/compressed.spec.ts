import { readFileSync } from 'node:fs';
import { AudioDecodeError } from './audio-error.js';
import { ACCEPTED_AUDIO, compressedFormatOf, decodeCompressed } from './compressed.js';
import { mixDown } from './decoded-audio.js';
import { resample } from './resample.js';
import { decodeToneWords } from './tone-alphabet.js';
import { demuxWebmOpus } from './webm.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const WORDS = ['hello', 'world', 'good', 'morning'];

/** What whisper-mock would hear: the decoded audio, mixed down and resampled to 16 kHz. */
async function heard(name: string) {
  const audio = await decodeCompressed(fixture(name));
  const pcm = await resample(mixDown(audio), audio.sampleRate, 16_000);
  return { audio, words: decodeToneWords(pcm, 16_000).map((w) => w.word) };
}

describe('compressed audio (WebAssembly decoders)', () => {
  it.each([
    ['speech.opus', 'ogg-opus', 48_000, 1],
    ['speech.webm', 'webm-opus', 48_000, 1],
    ['speech-laced.webm', 'webm-opus', 48_000, 1],
    // lame resamples 44.1 kHz to 24 kHz at 64 kb/s: the decoder reports the file's own rate.
    ['speech.mp3', 'mp3', 24_000, 2],
  ])(
    '%s decodes (%s, %d Hz, %d channels) and its words survive resampling to 16 kHz',
    async (name, format, rate, channels) => {
      expect(compressedFormatOf(fixture(name))).toBe(format);
      const { audio, words } = await heard(name);
      expect(audio).toMatchObject({ sampleRate: rate, sourceFormat: format });
      expect(audio.channels).toHaveLength(channels);
      expect(audio.channels[0]!.length / rate).toBeGreaterThan(2); // the whole 2.4 s, not a fragment
      expect(words).toEqual(WORDS);
    },
  );

  it('takes the frames out of laced and unlaced WebM blocks alike', () => {
    const laced = demuxWebmOpus(fixture('speech-laced.webm'));
    const unlaced = demuxWebmOpus(fixture('speech.webm'));
    expect(laced.frames.length).toBe(unlaced.frames.length);
    expect(laced.frames.map((f) => f.length)).toEqual(unlaced.frames.map((f) => f.length));
    expect(laced.preSkip).toBeGreaterThan(0);
  });

  it('refuses what it does not decode with a 415 listing what it takes, and broken files with a 400', async () => {
    const other = await decodeCompressed(new TextEncoder().encode('%PDF-1.7 not audio')).catch(
      (e: unknown) => e,
    );
    expect(other).toBeInstanceOf(AudioDecodeError);
    expect((other as AudioDecodeError).httpStatus).toBe(415);
    expect((other as Error).message).toContain(ACCEPTED_AUDIO);
    const truncated = fixture('speech.webm').subarray(0, 60);
    const broken = await decodeCompressed(truncated).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(AudioDecodeError);
    expect((broken as AudioDecodeError).httpStatus).toBe(400);
  });

  it('resamples to the length the rates ask for', async () => {
    const second = new Float32Array(48_000).map((_, i) => Math.sin((2 * Math.PI * 440 * i) / 48_000));
    expect(Math.abs((await resample(second, 48_000, 16_000)).length - 16_000)).toBeLessThanOrEqual(16);
    expect(await resample(second, 48_000, 48_000)).toBe(second);
  });
});
