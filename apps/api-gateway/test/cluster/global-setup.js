export { clusterGlobalSetup as default } from '@livetranslate/redis-streams/testing';
