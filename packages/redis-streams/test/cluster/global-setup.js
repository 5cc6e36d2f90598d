import { startRedisCluster } from '../../dist/testing/index.js';

// Started once for the run; the test files read TEST_REDIS_CLUSTER_NODES (see test/support/redis.ts).
export default async function globalSetup() {
  const cluster = await startRedisCluster(3);
  globalThis.__LT_REDIS_CLUSTER__ = cluster;
  process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes;
}
