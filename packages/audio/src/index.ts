export * from './audio-error.js';
export * from './decoded-audio.js';
export * from './wav.js';
export * from './pcm.js';
export * from './vad.js';
export * from './goertzel.js';
export * from './tone-alphabet.js';
