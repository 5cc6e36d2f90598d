import { blockEnergy, goertzelPower } from './goertzel.js';
import { detectVoiceActivity } from './vad.js';

/**
 * The tone-coded vocabulary the Whisper mock "hears": each word is a steady sine at its own
 * frequency, and a second voice speaks every word 50 Hz higher. Tests and the sample generator
 * synthesise speech from it; the mock decodes it with a Goertzel filter bank. Changing the table
 * changes what every fixture says.
 */
export const TONE_WORDS = [
  'hello',
  'world',
  'good',
  'morning',
  'thank',
  'you',
  'yes',
  'no',
  'one',
  'two',
  'three',
  'water',
  'friend',
  'house',
  'today',
  'please',
] as const;
export type ToneWord = (typeof TONE_WORDS)[number];

export const TONE_VOICES = 2;
const BASE_HZ = 500;
const WORD_STEP_HZ = 100;
const VOICE_STEP_HZ = 50;
/** Share of a segment's energy the best tone must hold to count as that word. */
const MIN_TONE_SHARE = 0.35;

export function toneFrequency(word: ToneWord, voice = 0): number {
  const index = TONE_WORDS.indexOf(word);
  if (index < 0) throw new Error(`"${word}" is not in the tone alphabet`);
  if (voice < 0 || voice >= TONE_VOICES) throw new Error(`voice ${voice} is out of range`);
  return BASE_HZ + index * WORD_STEP_HZ + voice * VOICE_STEP_HZ;
}

export function isToneWord(word: string): word is ToneWord {
  return (TONE_WORDS as readonly string[]).includes(word);
}

export interface SpokenWord {
  word: ToneWord;
  voice?: number;
}

export interface SynthesisOptions {
  sampleRate?: number;
  wordMs?: number;
  gapMs?: number;
  leadingSilenceMs?: number;
  trailingSilenceMs?: number;
  amplitude?: number;
}

/** Synthesises words as tones with silent gaps; 10 ms ramps keep the edges click-free. */
export function synthesizeWords(
  words: ReadonlyArray<SpokenWord | ToneWord>,
  options: SynthesisOptions = {},
): Float32Array {
  const rate = options.sampleRate ?? 16_000;
  const wordLength = Math.round(((options.wordMs ?? 300) * rate) / 1000);
  const gapLength = Math.round(((options.gapMs ?? 200) * rate) / 1000);
  const lead = Math.round(((options.leadingSilenceMs ?? options.gapMs ?? 200) * rate) / 1000);
  const trail = Math.round(((options.trailingSilenceMs ?? options.gapMs ?? 200) * rate) / 1000);
  const amplitude = options.amplitude ?? 0.5;
  const ramp = Math.round(0.01 * rate);
  const total = lead + words.length * wordLength + Math.max(0, words.length - 1) * gapLength + trail;
  const out = new Float32Array(total);
  let at = lead;
  for (const entry of words) {
    const spoken = typeof entry === 'string' ? { word: entry } : entry;
    const frequency = toneFrequency(spoken.word, spoken.voice ?? 0);
    for (let i = 0; i < wordLength; i++) {
      const envelope = Math.min(1, i / ramp, (wordLength - 1 - i) / ramp);
      out[at + i] = amplitude * envelope * Math.sin((2 * Math.PI * frequency * i) / rate);
    }
    at += wordLength + gapLength;
  }
  return out;
}

export interface DecodedWord {
  word: ToneWord;
  voice: number;
  startMs: number;
  endMs: number;
  /** Share of the segment's energy in the word's tone, 0–1. */
  confidence: number;
}

/**
 * Finds voiced spans and names the tone word in each. Spans with no dominant alphabet tone
 * (noise, real speech) are left out: the mock never invents words.
 */
export function decodeToneWords(samples: Float32Array, sampleRate: number): DecodedWord[] {
  const words: DecodedWord[] = [];
  for (const span of detectVoiceActivity(samples, sampleRate)) {
    const first = Math.floor((span.startMs * sampleRate) / 1000);
    const last = Math.min(samples.length, Math.floor((span.endMs * sampleRate) / 1000));
    // Skip the edges, where ramps and frame rounding smear the tone.
    const trim = Math.floor((last - first) * 0.1);
    const start = first + trim;
    const end = last - trim;
    if (end - start < sampleRate * 0.03) continue;
    const energy = blockEnergy(samples, start, end);
    if (energy <= 0) continue;
    let best: { word: ToneWord; voice: number; share: number } | undefined;
    for (const word of TONE_WORDS) {
      for (let voice = 0; voice < TONE_VOICES; voice++) {
        const share = goertzelPower(samples, start, end, toneFrequency(word, voice), sampleRate) / energy;
        if (!best || share > best.share) best = { word, voice, share };
      }
    }
    if (best && best.share >= MIN_TONE_SHARE) {
      words.push({
        word: best.word,
        voice: best.voice,
        startMs: span.startMs,
        endMs: span.endMs,
        confidence: Math.min(1, Number(best.share.toFixed(3))),
      });
    }
  }
  return words;
}
