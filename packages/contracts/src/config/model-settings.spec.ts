import { DEFAULT_SYSTEM_CONFIG } from './system-config.js';
import { differences, settingsFor, severityOf } from './model-settings.js';

describe('model settings', () => {
  it("takes each service's own keys from the document", () => {
    expect(Object.keys(settingsFor(DEFAULT_SYSTEM_CONFIG, 'whisper')).sort()).toEqual([
      'beam_size',
      'default_language',
      'default_model',
      'enable_diarization',
      'enable_vad',
    ]);
    expect(settingsFor(DEFAULT_SYSTEM_CONFIG, 'translation')).toEqual({
      default_model: 'dictionary-v1',
      temperature: 0,
      max_tokens: 1024,
    });
  });

  it('names differing settings by dotted path, high severity when they change timing', () => {
    const wanted = { beam_size: 5, default_language: 'auto' };
    expect(differences('whisper', wanted, { beam_size: 5, default_language: 'auto', extra: 1 })).toEqual([]);
    expect(differences('whisper', wanted, { beam_size: 3 })).toEqual([
      'whisper.beam_size',
      'whisper.default_language',
    ]);
    expect(severityOf(['whisper.default_language'])).toBe('low');
    expect(severityOf(['whisper.default_language', 'whisper.beam_size'])).toBe('high');
  });
});
