export * from './app-process.js';
export * from './chromium.js';
export * from './process-cpu.js';
export {
  startRedisCluster,
  startRedisServer,
  type RedisClusterServers,
  type RedisServer,
} from '@livetranslate/redis-streams/testing';
