import { startRedisCluster, type RedisClusterServers } from './redis-server.js';

let cluster: RedisClusterServers | undefined;

/**
 * jest globalSetup of the cluster suites: starts a private 3-master Redis Cluster and tells the
 * test files (and the processes they start) where it is, in TEST_REDIS_CLUSTER_NODES.
 */
export async function clusterGlobalSetup(): Promise<void> {
  cluster = await startRedisCluster(3);
  process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes;
}

export async function clusterGlobalTeardown(): Promise<void> {
  await cluster?.stop();
}
