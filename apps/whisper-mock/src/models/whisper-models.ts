/** The models this mock offers, as the Whisper service names them. */
export const WHISPER_MODELS = ['whisper-tiny', 'whisper-base', 'whisper-small', 'whisper-medium'] as const;
export type WhisperModel = (typeof WHISPER_MODELS)[number];

export function isWhisperModel(name: string): name is WhisperModel {
  return (WHISPER_MODELS as readonly string[]).includes(name);
}
