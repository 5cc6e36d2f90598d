export * from './audio-storage.js';
export * from './session-event-log.js';
export * from './bot-store.js';
export * from './config-store.js';
export * from './monitoring-store.js';
export * from './session-results.js';
export * from './session-completion.js';
