import type { SystemConfig } from './system-config.js';

export type ModelService = 'whisper' | 'translation';

/** Each model service's own settings keys, as the stored document sets them. */
export function settingsFor(config: SystemConfig, service: ModelService): Record<string, unknown> {
  if (service === 'whisper') return { ...config.whisper };
  const { default_model, temperature, max_tokens } = config.translation;
  return { default_model, temperature, max_tokens };
}

/** Settings that change how long a request takes: a difference in one of them is high severity. */
const TIMING_KEYS = new Set([
  'whisper.default_model',
  'whisper.beam_size',
  'whisper.enable_vad',
  'whisper.enable_diarization',
  'translation.default_model',
  'translation.max_tokens',
]);

/** Dotted paths of the wanted settings the service reports differently (or not at all). */
export function differences(
  service: ModelService,
  wanted: Record<string, unknown>,
  reported: Record<string, unknown>,
): string[] {
  return Object.entries(wanted)
    .filter(([key, value]) => JSON.stringify(reported[key]) !== JSON.stringify(value))
    .map(([key]) => `${service}.${key}`);
}

export function severityOf(paths: readonly string[]): 'low' | 'high' {
  return paths.some((path) => TIMING_KEYS.has(path)) ? 'high' : 'low';
}
