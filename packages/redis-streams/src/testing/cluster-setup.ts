import { startRedisCluster, type RedisClusterServers } from './redis-server.js';

let cluster: RedisClusterServers | undefined;

/**
 * jest globalSetup of the cluster suites: starts a private 3-master Redis Cluster and tells the
 * test files (and the processes they start) where it is, in TEST_REDIS_CLUSTER_NODES, and to
 * partition the ingest (TEST_AUDIO_INGEST_PARTITIONS).
 */
export async function clusterGlobalSetup(): Promise<void> {
  cluster = await startRedisCluster(3);
  process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes;
  // A cluster deployment partitions the ingest: the suites prove both at once.
  process.env.TEST_AUDIO_INGEST_PARTITIONS = '3';
}

export async function clusterGlobalTeardown(): Promise<void> {
  await cluster?.stop();
}
