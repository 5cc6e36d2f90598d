import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to a single Redis server or to a Redis Cluster: every module takes either. */
export type RedisClient = Redis | Cluster;

/** A Redis Cluster: seed nodes (the client discovers the rest) and what every node connection uses. */
export interface RedisClusterConnection {
  clusterNodes: ReadonlyArray<{ host: string; port: number }>;
  /** TLS, ACL user and password, applied to every node. */
  nodeOptions?: RedisOptions;
}

/** A Redis URL, ioredis options for one server, or a cluster. */
export type RedisConnection = string | RedisOptions | RedisClusterConnection;

export function isClusterConnection(connection: RedisConnection): connection is RedisClusterConnection {
  return typeof connection === 'object' && 'clusterNodes' in connection;
}

/**
 * Parses `REDIS_CLUSTER_NODES`: comma-separated `host:port` or `redis[s]://[user:password@]host:port`.
 * One `rediss://` node turns TLS on for all; credentials come from the first node that carries them.
 * Throws with a message naming what is wrong.
 */
export function parseClusterNodes(spec: string): RedisClusterConnection {
  const nodes: Array<{ host: string; port: number }> = [];
  const nodeOptions: RedisOptions = {};
  for (const raw of spec.split(',').map((s) => s.trim())) {
    if (!raw) continue;
    const url = URL.parse(/^[a-z]+:\/\//.test(raw) ? raw : `redis://${raw}`);
    if (!url?.hostname || !/^rediss?:$/.test(url.protocol))
      throw new Error(`"${raw}" is not host:port or a redis:// / rediss:// URL`);
    const port = Number(url.port || 6379);
    nodes.push({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    if (url.protocol === 'rediss:') nodeOptions.tls = {};
    if (url.password && nodeOptions.password === undefined) {
      nodeOptions.password = decodeURIComponent(url.password);
      if (url.username) nodeOptions.username = decodeURIComponent(url.username);
    }
  }
  if (nodes.length === 0) throw new Error('names no node');
  return { clusterNodes: nodes, nodeOptions };
}

const retryDelay = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000);

/**
 * Opens a connection that queues commands while Redis is away and reconnects with capped backoff.
 * A deliberate `disconnect()`/`quit()` stops reconnection (ioredis does not reconnect after it).
 * A cluster connection follows slot moves (MOVED/ASK) and retries while a slot migrates (TRYAGAIN).
 */
export function openRedis(connection: RedisConnection, name: string, extra: RedisOptions = {}): RedisClient {
  const common: RedisOptions = {
    ...extra,
    connectionName: name,
    // ioredis 6 speaks RESP3 by default; the transport parses RESP2 reply shapes, which every
    // Redis and managed service still offers.
    protocol: 2,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: retryDelay,
  };
  if (isClusterConnection(connection)) {
    const { enableAutoPipelining, ...nodeCommon } = common;
    const options: ClusterOptions = {
      redisOptions: { ...nodeCommon, ...connection.nodeOptions, connectionName: name },
      clusterRetryStrategy: retryDelay,
      enableOfflineQueue: true,
      enableReadyCheck: true,
      // A reshard moves slots while commands are in flight: follow every redirection, and wait out
      // the moments a multi-key command's keys are split between two nodes.
      maxRedirections: 64,
      retryDelayOnTryAgain: 50,
      retryDelayOnClusterDown: 200,
      retryDelayOnFailover: 200,
      ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    };
    return new Cluster(
      connection.clusterNodes.map((n) => ({ ...n })),
      options,
    );
  }
  return typeof connection === 'string'
    ? new Redis(connection, common)
    : new Redis({ ...common, ...connection, connectionName: name });
}

/**
 * Why a cluster client could not connect: ioredis reports only "None of startup nodes is
 * available" to commands, so each seed node is asked directly (one try, no retries) and the first
 * refusal or failure is returned; undefined when a node answers.
 */
export async function whyClusterUnreachable(connection: RedisClusterConnection): Promise<string | undefined> {
  let reason: string | undefined;
  for (const node of connection.clusterNodes) {
    const probe = new Redis({
      ...connection.nodeOptions,
      ...node,
      protocol: 2,
      lazyConnect: true,
      connectTimeout: 2_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // A refused AUTH arrives as an 'error' event; connect() then only says the connection closed.
    let refused: Error | undefined;
    probe.on('error', (error: Error) => (refused ??= error));
    try {
      await probe.connect();
      await probe.ping();
      return undefined;
    } catch (error) {
      const message = (refused ?? (error as Error)).message;
      // A refused login is the answer for every node: no need to ask the rest.
      if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(message)) return message;
      reason ??= `${node.host}:${node.port}: ${message}`;
    } finally {
      probe.disconnect();
    }
  }
  return reason;
}

/** Quits politely, or drops the socket if Redis does not answer within `timeoutMs`. */
export async function closeRedis(redis: RedisClient, timeoutMs = 1_000): Promise<void> {
  if (redis.status === 'end') return;
  const timer = setTimeout(() => redis.disconnect(), timeoutMs);
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
