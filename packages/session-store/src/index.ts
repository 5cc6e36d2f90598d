export * from './audio-storage.js';
export * from './session-event-log.js';
