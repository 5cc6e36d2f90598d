import {
  decodeToneWords,
  synthesizeWords,
  TONE_WORDS,
  toneFrequency,
  type SpokenWord,
} from './tone-alphabet.js';
import { detectVoiceActivity } from './vad.js';

/** Deterministic white noise at a given signal-to-noise ratio (mulberry32). */
function addNoise(signal: Float32Array, snrDb: number, seed = 42): Float32Array {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let power = 0;
  let voiced = 0;
  for (const s of signal) {
    if (s === 0) continue;
    power += s * s;
    voiced++;
  }
  const noiseRms = Math.sqrt(power / Math.max(1, voiced) / 10 ** (snrDb / 10));
  const out = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = signal[i]! + noiseRms * Math.sqrt(3) * (2 * random() - 1);
  return out;
}

describe('tone alphabet', () => {
  it('gives every word and voice its own frequency', () => {
    const frequencies = new Set(TONE_WORDS.flatMap((w) => [toneFrequency(w, 0), toneFrequency(w, 1)]));
    expect(frequencies.size).toBe(TONE_WORDS.length * 2);
  });

  it('decodes every word of the alphabet, in order, with times', () => {
    const audio = synthesizeWords(TONE_WORDS, {
      sampleRate: 16000,
      wordMs: 300,
      gapMs: 200,
      leadingSilenceMs: 200,
    });
    const words = decodeToneWords(audio, 16000);
    expect(words.map((w) => w.word)).toEqual([...TONE_WORDS]);
    words.forEach((w, i) => {
      expect(Math.abs(w.startMs - (200 + i * 500))).toBeLessThanOrEqual(20);
      expect(Math.abs(w.endMs - w.startMs - 300)).toBeLessThanOrEqual(30);
      expect(w.confidence).toBeGreaterThan(0.8);
    });
  });

  it.each([8000, 16000, 44100, 48000])('works at %i Hz', (rate) => {
    const audio = synthesizeWords(['thank', 'you'], { sampleRate: rate });
    expect(decodeToneWords(audio, rate).map((w) => w.word)).toEqual(['thank', 'you']);
  });

  it('recovers the words with noise added (10 dB SNR)', () => {
    const spoken: SpokenWord[] = [
      { word: 'hello' },
      { word: 'friend', voice: 1 },
      { word: 'water' },
      { word: 'please', voice: 1 },
    ];
    const noisy = addNoise(synthesizeWords(spoken, { sampleRate: 16000 }), 10);
    const decoded = decodeToneWords(noisy, 16000);
    expect(decoded.map((w) => [w.word, w.voice])).toEqual(spoken.map((s) => [s.word, s.voice ?? 0]));
  });

  it('hears nothing in silence or in noise alone', () => {
    expect(decodeToneWords(new Float32Array(16000), 16000)).toEqual([]);
    expect(detectVoiceActivity(new Float32Array(16000), 16000)).toEqual([]);
    const noise = addNoise(new Float32Array(16000).fill(0.0001), 0);
    expect(decodeToneWords(noise, 16000)).toEqual([]);
  });

  it('invents no word for voiced audio outside the alphabet', () => {
    const chirp = new Float32Array(16000);
    for (let i = 0; i < chirp.length; i++)
      chirp[i] = 0.5 * Math.sin(2 * Math.PI * (200 + (i / chirp.length) * 3000) * (i / 16000));
    expect(detectVoiceActivity(chirp, 16000).length).toBeGreaterThan(0);
    expect(decodeToneWords(chirp, 16000)).toEqual([]);
  });
});
