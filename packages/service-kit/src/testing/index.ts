export * from './app-process.js';
