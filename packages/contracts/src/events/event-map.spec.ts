import { AudioChunkReceived } from './audio.events.js';
import { EVENT_PAYLOAD_CLASSES, EVENT_STREAM, payloadErrors, validatePayload } from './event-map.js';
import { EVENT_TYPES } from '../wire/event-types.js';

const validChunk = {
  session_id: 's-1',
  chunk_id: 's-1:0',
  seq: 0,
  tenant_id: 't-1',
  source_type: 'upload',
  storage_uri: 'redis://audio:{s-1}:0',
  content_type: 'audio/wav',
  audio_config: { sample_rate: 16000, channels: 1, encoding: 'wav' },
  start_ms: 0,
  duration_ms: 3000,
  processing_flags: { transcribe: true, diarize: false, translate: false, target_languages: [] },
};

describe('event map', () => {
  it('has a payload class and a stream for every event type', () => {
    for (const type of Object.values(EVENT_TYPES)) {
      expect(EVENT_PAYLOAD_CLASSES[type]).toBeDefined();
      expect(EVENT_STREAM[type]).toBeDefined();
    }
  });

  it('returns a typed instance for a valid payload, keeping unknown keys', () => {
    const result = validatePayload('AudioChunkReceived', { ...validChunk, added_later: 1 });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toBeInstanceOf(AudioChunkReceived);
      expect(result.value.audio_config.sample_rate).toBe(16000);
    }
  });

  it('names every failing field, nested ones by path', () => {
    const result = validatePayload('AudioChunkReceived', {
      ...validChunk,
      seq: -1,
      source_type: 'carrier-pigeon',
      audio_config: { sample_rate: 'fast', channels: 1, encoding: 'wav' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.errors.join('\n');
      expect(text).toContain('seq:');
      expect(text).toContain('source_type:');
      expect(text).toContain('audio_config.sample_rate:');
    }
  });

  it('tells a producer which rules a payload breaks, and nothing for a valid one', () => {
    expect(payloadErrors('AudioChunkReceived', validChunk)).toBeUndefined();
    const errors = payloadErrors('AudioChunkReceived', {
      ...validChunk,
      audio_config: { sample_rate: 'fast' },
    });
    expect(errors?.join('\n')).toContain('audio_config.sample_rate:');
    expect(payloadErrors('AudioChunkReceived', 'chunk')).toEqual(['payload must be an object']);
  });

  it('rejects a payload that is not an object', () => {
    expect(validatePayload('ConfigSnapshot', null)).toEqual({
      ok: false,
      errors: ['payload must be an object'],
    });
    expect(validatePayload('ConfigSnapshot', [1])).toMatchObject({ ok: false });
  });

  it('rejects a missing nested object', () => {
    const { audio_config: _dropped, ...rest } = validChunk;
    const result = validatePayload('AudioChunkReceived', rest);
    expect(result.ok).toBe(false);
  });
});
