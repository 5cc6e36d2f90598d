import { createEnvelope, formatEnvelopeTimestamp, parseEnvelope } from './envelope.js';
import type { AudioChunkReceived } from '../events/audio.events.js';
import { EVENT_SAMPLES } from '../../test/event-samples.js';

const chunk: AudioChunkReceived = EVENT_SAMPLES.AudioChunkReceived;

describe('envelope', () => {
  it('formats timestamps as Python isoformat() does', () => {
    expect(formatEnvelopeTimestamp(new Date('2025-10-19T18:26:48.123Z'))).toBe(
      '2025-10-19T18:26:48.123000+00:00',
    );
  });

  it('round-trips through JSON with the v1 keys', () => {
    const envelope = createEnvelope('AudioChunkReceived', chunk, {
      source: 'api-gateway',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(Object.keys(envelope).sort()).toEqual(
      ['event_id', 'event_type', 'payload', 'schema_version', 'source', 'timestamp', 'traceparent'].sort(),
    );
    const parsed = parseEnvelope(JSON.stringify(envelope));
    expect(parsed).toEqual({ ok: true, envelope });
  });

  it('reads an envelope written by the original Python service and ignores unknown keys', () => {
    const python =
      '{"schema_version": "v1", "event_id": "6f1c1f8e-8f38-4a51-9d0f-2a8c35c3f0d1", "event_type": "AudioChunkReceived", ' +
      '"source": "orchestration-api", "timestamp": "2025-10-19T18:26:48.123456+00:00", "payload": {"session_id": "x"}, ' +
      '"metadata": {"k": 1}, "future_key": true}';
    const parsed = parseEnvelope(python);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.envelope.timestamp).toBe('2025-10-19T18:26:48.123456+00:00');
      expect(parsed.envelope.metadata).toEqual({ k: 1 });
      expect(parsed.envelope).not.toHaveProperty('future_key');
    }
  });

  it.each([
    ['not json', '{nope', 'invalid_json'],
    ['an array', '[1,2]', 'not_an_object'],
    [
      'missing event_id',
      JSON.stringify({
        schema_version: 'v1',
        event_type: 'X',
        source: 's',
        timestamp: '2025-01-01T00:00:00Z',
        payload: {},
      }),
      'missing_field',
    ],
    [
      'schema v9',
      JSON.stringify({
        schema_version: 'v9',
        event_id: 'e',
        event_type: 'X',
        source: 's',
        timestamp: '2025-01-01T00:00:00Z',
        payload: {},
      }),
      'unsupported_schema_version',
    ],
    [
      'payload not object',
      JSON.stringify({
        schema_version: 'v1',
        event_id: 'e',
        event_type: 'X',
        source: 's',
        timestamp: '2025-01-01T00:00:00Z',
        payload: 'x',
      }),
      'invalid_field',
    ],
    [
      'missing payload',
      JSON.stringify({
        schema_version: 'v1',
        event_id: 'e',
        event_type: 'X',
        source: 's',
        timestamp: '2025-01-01T00:00:00Z',
      }),
      'missing_field',
    ],
    [
      'bad timestamp',
      JSON.stringify({
        schema_version: 'v1',
        event_id: 'e',
        event_type: 'X',
        source: 's',
        timestamp: 'yesterday',
        payload: {},
      }),
      'invalid_field',
    ],
  ])('rejects %s with a reason', (_name, raw, reason) => {
    const parsed = parseEnvelope(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe(reason);
      expect(parsed.message.length).toBeGreaterThan(5);
    }
  });

  it('rejects an entry without a data field', () => {
    expect(parseEnvelope(undefined)).toMatchObject({ ok: false, reason: 'missing_field' });
  });
});
