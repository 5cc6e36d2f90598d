export { clusterGlobalTeardown as default } from '@livetranslate/redis-streams/testing';
