import { encodePcmS16le, encodeWav, synthesizeWords, type ToneWord } from '@livetranslate/audio';

export const RATE = 16_000;

/** A sentence of tone words: 300 ms each with 200 ms gaps, 200 ms of silence around. */
export const SENTENCE: ToneWord[] = [
  'hello',
  'world',
  'good',
  'morning',
  'thank',
  'you',
  'friend',
  'water',
  'house',
  'today',
  'please',
  'yes',
];

export function speech(words: ToneWord[] = SENTENCE): Float32Array {
  return synthesizeWords(words, { sampleRate: RATE });
}

export function speechPcm(words: ToneWord[] = SENTENCE): Buffer {
  return encodePcmS16le(speech(words));
}

export function speechWav(words: ToneWord[] = SENTENCE): Buffer {
  return encodeWav([speech(words)], RATE);
}

/** Splits a buffer into frames of `bytes`, as a client sending 100 ms frames would. */
export async function* frames(buffer: Buffer, bytes = 3_200): AsyncGenerator<Buffer> {
  for (let at = 0; at < buffer.length; at += bytes) yield buffer.subarray(at, at + bytes);
}

/** What the translation mock's dictionary makes of a word, per language. */
export const DICTIONARY: Record<string, Record<string, string>> = {
  es: {
    hello: 'hola',
    world: 'mundo',
    good: 'bueno',
    morning: 'mañana',
    thank: 'agradecer',
    you: 'tú',
    friend: 'amigo',
    water: 'agua',
    house: 'casa',
    today: 'hoy',
    please: 'por favor',
    yes: 'sí',
  },
  fr: {
    hello: 'salut',
    world: 'monde',
    good: 'bon',
    morning: 'matin',
    thank: 'remercier',
    you: 'toi',
    friend: 'ami',
    water: 'eau',
    house: 'maison',
    today: "aujourd'hui",
    please: "s'il vous plaît",
    yes: 'oui',
  },
};
