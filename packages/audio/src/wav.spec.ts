import { AudioDecodeError } from './audio-error.js';
import { decodePcmS16le, encodePcmS16le } from './pcm.js';
import { synthesizeWords, decodeToneWords } from './tone-alphabet.js';
import { decodeWav, encodeWav, isWav, pcm16ToWav, readWavInfo } from './wav.js';

function sine(frequency: number, rate: number, ms: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round((rate * ms) / 1000));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

function expectAudioError(run: () => unknown, code: string, status: number, text: string) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AudioDecodeError);
    expect((error as AudioDecodeError).code).toBe(code);
    expect((error as AudioDecodeError).httpStatus).toBe(status);
    expect((error as Error).message).toContain(text);
    return;
  }
  throw new Error('expected an AudioDecodeError');
}

/** Inserts a chunk between the fmt and data chunks of a WAV written by encodeWav. */
function withChunkBeforeData(wav: Buffer, id: string, body: Buffer, declaredSize = body.length): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(declaredSize, 4);
  const padded = body.length % 2 ? Buffer.concat([body, Buffer.alloc(1)]) : body;
  return Buffer.concat([wav.subarray(0, 36), header, padded, wav.subarray(36)]);
}

describe('WAV decoding', () => {
  const cases: Array<[string, { bits?: 8 | 16 | 24 | 32; float?: boolean }, number]> = [
    ['8-bit PCM', { bits: 8 }, 1 / 64],
    ['16-bit PCM', { bits: 16 }, 1 / 16000],
    ['24-bit PCM', { bits: 24 }, 1e-6],
    ['32-bit PCM', { bits: 32 }, 1e-8],
    ['32-bit float', { float: true }, 1e-7],
  ];

  it.each(cases)('%s round-trips at several rates, mono and stereo', (_name, options, tolerance) => {
    for (const rate of [8000, 16000, 22050, 44100, 48000]) {
      const left = sine(440, rate, 50);
      const right = sine(880, rate, 50, 0.25);
      const mono = decodeWav(encodeWav([left], rate, options));
      expect(mono.sampleRate).toBe(rate);
      expectClose(mono.channels[0]!, left, tolerance);
      const stereo = decodeWav(encodeWav([left, right], rate, options));
      expect(stereo.channels).toHaveLength(2);
      expectClose(stereo.channels[1]!, right, tolerance);
    }
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE', () => {
    const plain = encodeWav([sine(300, 16000, 20)], 16000);
    const fmt = Buffer.alloc(40);
    plain.copy(fmt, 0, 20, 36);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(22, 16); // cbSize
    fmt.writeUInt16LE(16, 18); // valid bits
    fmt.writeUInt32LE(4, 20); // channel mask
    fmt.writeUInt16LE(1, 24); // sub-format GUID starts with the PCM tag
    const header = Buffer.from('RIFF\0\0\0\0WAVEfmt \x28\0\0\0', 'latin1');
    const file = Buffer.concat([header, fmt, plain.subarray(36)]);
    file.writeUInt32LE(file.length - 8, 4);
    expectClose(decodeWav(file).channels[0]!, decodeWav(plain).channels[0]!, 0);
  });

  it('skips a huge vendor chunk before the data without trouble', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    const big = withChunkBeforeData(wav, 'LIST', Buffer.alloc(3 * 1024 * 1024 + 1, 7));
    expect(decodeWav(big).channels[0]!.length).toBe(320);
  });

  it('accepts streaming writers that leave the data size unknown', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    wav.writeUInt32LE(0xffffffff, 40);
    expect(decodeWav(wav).channels[0]!.length).toBe(320);
  });

  it('drops a trailing partial frame', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    const odd = Buffer.concat([wav, Buffer.from([1])]);
    odd.writeUInt32LE(wav.readUInt32LE(40) + 1, 40);
    expect(decodeWav(odd).channels[0]!.length).toBe(320);
  });

  it.each([
    ['zero-length audio', Buffer.alloc(0), 'empty', 400, 'empty'],
    ['a header cut short', Buffer.from('RIFF\0\0'), 'truncated', 400, 'truncated'],
    ['an MP3', Buffer.from('ID3\x04\0\0\0\0\0\0 some mp3 frames', 'latin1'), 'not_wav', 400, 'not a WAV'],
    ['text', Buffer.from('hello, I am definitely audio'), 'not_wav', 400, 'RIFF'],
  ])('rejects %s', (_name, bytes, code, status, text) => {
    expectAudioError(() => decodeWav(bytes), code, status, text);
  });

  it('reads what a WAV holds from its header alone, as decoding it would find', () => {
    const odd = encodeWav([sine(440, 16000, 20)], 16000);
    const partial = Buffer.concat([odd, Buffer.from([1])]);
    partial.writeUInt32LE(odd.readUInt32LE(40) + 1, 40);
    for (const wav of [
      encodeWav([sine(440, 16000, 1000)], 16000),
      encodeWav([sine(440, 48000, 250), sine(660, 48000, 250)], 48000, { bits: 24 }),
      encodeWav([sine(440, 22050, 100)], 22050, { float: true }),
      partial,
    ]) {
      const decoded = decodeWav(wav);
      const frames = decoded.channels[0]!.length;
      expect(readWavInfo(wav)).toEqual({
        sampleRate: decoded.sampleRate,
        channels: decoded.channels.length,
        frames,
        durationMs: (frames / decoded.sampleRate) * 1000,
      });
    }
    // Checked as decoding checks it.
    const cut = encodeWav([sine(440, 16000, 100)], 16000).subarray(0, 1000);
    expectAudioError(() => readWavInfo(cut), 'truncated', 400, 'header says 3200 bytes');
  });

  it('rejects data cut off mid-file', () => {
    const wav = encodeWav([sine(440, 16000, 100)], 16000);
    expectAudioError(() => decodeWav(wav.subarray(0, 1000)), 'truncated', 400, 'header says 3200 bytes');
  });

  it('rejects a chunk that claims to run past the end of the file (no 4 GB allocation)', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    const lying = withChunkBeforeData(wav, 'junk', Buffer.alloc(16), 0xfffffff0);
    expectAudioError(() => decodeWav(lying), 'truncated', 400, 'runs past the end');
  });

  it('rejects compressed and exotic encodings with 415', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    wav.writeUInt16LE(0x55, 20); // MPEG layer 3
    expectAudioError(() => decodeWav(wav), 'unsupported', 415, 'not supported');
    const twelveBit = encodeWav([sine(440, 16000, 20)], 16000);
    twelveBit.writeUInt16LE(12, 34);
    expectAudioError(() => decodeWav(twelveBit), 'unsupported', 415, '12-bit');
  });

  it('rejects inconsistent headers', () => {
    const wav = encodeWav([sine(440, 16000, 20)], 16000);
    wav.writeUInt16LE(3, 32); // block align
    expectAudioError(() => decodeWav(wav), 'corrupt', 400, 'block align');
    const noChannels = encodeWav([sine(440, 16000, 20)], 16000);
    noChannels.writeUInt16LE(0, 22);
    expectAudioError(() => decodeWav(noChannels), 'corrupt', 400, '0 channels');
    const noData = encodeWav([sine(440, 16000, 20)], 16000).subarray(0, 36);
    expectAudioError(() => decodeWav(noData), 'truncated', 400, 'no data chunk');
  });

  it('knows a WAV when it sees one', () => {
    expect(isWav(encodeWav([new Float32Array(1)], 16000))).toBe(true);
    expect(isWav(Buffer.from('not a wav file'))).toBe(false);
  });
});

describe('raw PCM s16le', () => {
  it('round-trips and rejects half frames and bad rates', () => {
    const samples = sine(440, 16000, 30);
    const decoded = decodePcmS16le(encodePcmS16le(samples), 16000);
    expectClose(decoded.channels[0]!, samples, 1 / 16000);
    expectAudioError(() => decodePcmS16le(Buffer.alloc(3), 16000), 'truncated', 400, 'whole number');
    expectAudioError(() => decodePcmS16le(Buffer.alloc(4), 0), 'corrupt', 400, 'sample rate');
    expectAudioError(() => decodePcmS16le(Buffer.alloc(0), 16000), 'empty', 400, 'empty');
  });

  it('carries tone words through encoding intact', () => {
    const audio = synthesizeWords(['good', 'morning'], { sampleRate: 16000 });
    const decoded = decodePcmS16le(encodePcmS16le(audio), 16000);
    expect(decodeToneWords(decoded.channels[0]!, 16000).map((w) => w.word)).toEqual(['good', 'morning']);
  });
});

describe('pcm16ToWav', () => {
  it('wraps raw PCM so decodeWav reads the same samples', () => {
    const samples = sine(440, 16000, 30);
    const wav = pcm16ToWav(encodePcmS16le(samples), 16000);
    expect(isWav(wav)).toBe(true);
    expectClose(decodeWav(wav).channels[0]!, decodePcmS16le(encodePcmS16le(samples), 16000).channels[0]!, 0);
  });
});
