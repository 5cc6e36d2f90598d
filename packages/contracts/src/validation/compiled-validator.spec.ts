import { inspect } from 'node:util';
import { EVENT_PAYLOAD_CLASSES, validateWithClassValidator } from '../events/event-map.js';
import { EVENT_TYPES, type EventType } from '../wire/event-types.js';
import { EVENT_SAMPLES } from '../../test/event-samples.js';
import { LanguagesBody, TranslationBody, WhisperTranscriptionBody } from '../sdk/downstream.contract.js';
import { plainToInstance } from 'class-transformer';
import { compiledCheckFor, instantiate } from './compiled-validator.js';

// Values a producer could plausibly (or maliciously) put anywhere in a payload.
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  ' ',
  'a'.repeat(129),
  '😀'.repeat(16),
  '😀'.repeat(17),
  // Longer in UTF-16 units than the rule counts: the inline length test says no, the rule yes.
  `${'a'.repeat(127)}😀`,
  `${'a'.repeat(127)}\uFE0F`,
  new String('boxed'), // a string to isString, not to the inline typeof test
  -0,
  'https://example.com/x',
  '2026-01-01T00:00:00Z',
  'websocket',
  'pcm_s16le',
  0,
  -1,
  1,
  0.5,
  1.5,
  1000,
  16000,
  1e9,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  ['es'],
  [1],
  [null],
  [undefined],
  [{}],
  {},
  { a: 1 },
  new Date(0),
];

type Json = Record<string, unknown>;

/** Every path into the sample: object keys and array indexes, nested objects included. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  const out: string[][] = [];
  for (const key of Object.keys(value as Json)) {
    const path = [...prefix, key];
    out.push(path, ...paths((value as Json)[key], path));
  }
  return out;
}

function withValue(sample: unknown, path: string[], replacement: unknown, remove = false): Json {
  const copy = structuredClone(sample) as Json;
  let cursor: Json = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Json;
  const last = path[path.length - 1]!;
  if (remove) delete cursor[last];
  else cursor[last] = replacement;
  return copy;
}

function assertSameVerdicts(name: string, cls: new () => object, sample: object) {
  const check = compiledCheckFor(cls);
  expect(check).not.toBeNull();
  const candidates: Json[] = [structuredClone(sample) as Json, { ...sample, extra_key: 1 }];
  for (const path of paths(sample)) {
    candidates.push(withValue(sample, path, undefined, true));
    for (const replacement of REPLACEMENTS) candidates.push(withValue(sample, path, replacement));
  }
  let accepted = 0;
  for (const candidate of candidates) {
    const reference = validateWithClassValidator(cls, candidate).ok;
    const fast = check!(candidate);
    if (fast !== reference) {
      throw new Error(
        `${name}: compiled=${fast} class-validator=${reference} for ${inspect(candidate, { depth: 5 })}`,
      );
    }
    if (fast) accepted++;
  }
  // Both accept the sample and reject most mutations: the comparison is not vacuous.
  expect(check!(structuredClone(sample))).toBe(true);
  expect(accepted).toBeGreaterThan(1);
  expect(accepted).toBeLessThan(candidates.length);
}

describe('compiled payload check agrees with class-validator', () => {
  it.each(Object.values(EVENT_TYPES))(
    '%s: same verdict on every mutation of a valid sample',
    (type: EventType) => {
      assertSameVerdicts(
        type,
        EVENT_PAYLOAD_CLASSES[type] as unknown as new () => object,
        EVENT_SAMPLES[type],
      );
    },
  );

  // The SDKs validate downstream responses the same way.
  it.each([
    [
      'WhisperTranscriptionBody',
      WhisperTranscriptionBody,
      {
        text: 'hello',
        segments: [{ id: 0, start: 0.2, end: 0.5, text: 'hello', speaker: 'SPEAKER_00', confidence: 0.9 }],
        language: 'en',
        confidence: 0.9,
        processing_time: 0.01,
        model_used: 'whisper-base',
        duration: 1,
      },
    ],
    [
      'TranslationBody',
      TranslationBody,
      {
        translated_text: 'hola',
        source_language: 'en',
        target_language: 'es',
        confidence_score: 1,
        processing_time: 0.001,
        backend_used: 'mock',
        model_used: 'm',
      },
    ],
    ['LanguagesBody', LanguagesBody, { languages: [{ code: 'en', name: 'English' }] }],
  ])('%s: same verdict on every mutation of a valid response', (name, cls, sample) => {
    assertSameVerdicts(name, cls as new () => object, sample);
  });
});

describe('instantiate builds what class-transformer builds', () => {
  it.each(Object.values(EVENT_TYPES))('%s: same classes and values, nested ones too', (type: EventType) => {
    const cls = EVENT_PAYLOAD_CLASSES[type] as unknown as new () => object;
    const sample = { ...(structuredClone(EVENT_SAMPLES[type]) as unknown as Json), added_later: { a: 1 } };
    const built = instantiate(cls, sample);
    const reference = plainToInstance(cls, sample);
    expect(built).toBeInstanceOf(cls);
    expect(built).toStrictEqual(reference); // compares the classes of nested objects too
  });

  it('keeps a "__proto__" key from JSON as data, never as the prototype', () => {
    const cls = EVENT_PAYLOAD_CLASSES.AudioChunkReceived as unknown as new () => object;
    const sample = JSON.parse(
      JSON.stringify(EVENT_SAMPLES.AudioChunkReceived).replace(/^\{/, '{"__proto__":{"polluted":true},'),
    ) as Json;
    const built = instantiate(cls, sample) as Json;
    expect(Object.getPrototypeOf(built)).toBe(cls.prototype);
    expect(built.polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(built, '__proto__')?.value).toEqual({ polluted: true });
  });
});
