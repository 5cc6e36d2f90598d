export const AUDIO_STORAGE = Symbol('AUDIO_STORAGE');
export const DOWNSTREAM = Symbol('DOWNSTREAM');
