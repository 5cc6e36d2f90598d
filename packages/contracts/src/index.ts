export * from './wire/streams.js';
export * from './wire/event-types.js';
export * from './envelope/envelope.js';
export * from './events/audio.events.js';
export * from './events/bot.events.js';
export * from './events/config.events.js';
export * from './events/monitoring.events.js';
export * from './events/event-map.js';
