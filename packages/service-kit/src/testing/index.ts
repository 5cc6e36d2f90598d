export * from './app-process.js';
export * from './redis-server.js';
