import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startupTimeoutMs } from './ports.js';

const execFileAsync = promisify(execFile);

export interface RedisServer {
  port: number;
  url: string;
  /** Its working directory (AOF and RDB files): a restart on the same directory reloads them. */
  dir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM shuts Redis down cleanly (AOF flushed); SIGKILL is a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A private redis-server on a spare port (or `port`, to restart one) for tests that stop, crash or
 * reconfigure Redis; `args` are redis-server options (persistence, TLS, ACL users).
 */
export async function startRedisServer(
  options: { port?: number; tlsPort?: number; dir?: string; args?: string[] } = {},
): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lt-redis-'));
  const tlsArgs = options.tlsPort ? ['--tls-port', String(options.tlsPort)] : [];
  const child = spawn(
    'redis-server',
    ['--port', String(port), ...tlsArgs, '--bind', '127.0.0.1', '--dir', dir, ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${output}`)),
      startupTimeoutMs(),
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  const clientPort = options.tlsPort ?? port;
  return {
    port: clientPort,
    url: `${options.tlsPort ? 'rediss' : 'redis'}://127.0.0.1:${clientPort}`,
    dir,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export interface RedisClusterServers {
  masters: RedisServer[];
  /** What REDIS_CLUSTER_NODES takes: `127.0.0.1:port,…`. */
  nodes: string;
  stop(): Promise<void>;
}

/**
 * A private Redis Cluster of `masters` masters (no replicas) on spare ports, for tests that prove
 * slot-safety and survive resharding. Each node also binds its port + 10000 (the cluster bus), so
 * ports are chosen below 55536 with both free.
 */
export interface ClusterSecurity {
  /** Serve clients and the cluster bus over TLS only, with this certificate (its own CA). */
  tls?: { cert: string; key: string };
  /** Turn the default user off and accept only this ACL user (also what nodes and redis-cli use). */
  user?: { name: string; password: string };
}

export async function startRedisCluster(
  masters = 3,
  security: ClusterSecurity = {},
): Promise<RedisClusterServers> {
  const ports: number[] = [];
  while (ports.length < masters) {
    const port = await clusterPort();
    if (!ports.includes(port)) ports.push(port);
  }
  const { tls, user } = security;
  const securityArgs = [
    ...(tls
      ? [
          '--tls-cluster',
          'yes',
          '--tls-cert-file',
          tls.cert,
          '--tls-key-file',
          tls.key,
          '--tls-ca-cert-file',
          tls.cert,
          '--tls-auth-clients',
          'no',
        ]
      : []),
    ...(user
      ? ['--user', 'default', 'off', '--user', user.name, 'on', `>${user.password}`, '~*', '&*', '+@all']
      : []),
    ...(user ? ['--masteruser', user.name, '--masterauth', user.password] : []),
  ];
  // What redis-cli needs to reach a node secured like that.
  const cliArgs = [
    ...(tls ? ['--tls', '--cacert', tls.cert] : []),
    ...(user ? ['--user', user.name, '--pass', user.password, '--no-auth-warning'] : []),
  ];
  const servers = await Promise.all(
    ports.map((port) =>
      startRedisServer({
        // With TLS the port is the TLS port (the plain one is off), and the bus is TLS too.
        ...(tls ? { port: 0, tlsPort: port } : { port }),
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          ...securityArgs,
        ],
      }),
    ),
  );
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  try {
    await execFileAsync('redis-cli', [
      ...cliArgs,
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // `create` returns once slots are assigned; every node must agree before clients are routed.
    const deadline = Date.now() + startupTimeoutMs();
    for (const port of ports) {
      for (;;) {
        const { stdout } = await execFileAsync('redis-cli', [
          ...cliArgs,
          '-p',
          String(port),
          'cluster',
          'info',
        ]);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new Error(`cluster node ${port} never reached cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    throw error;
  }
  return {
    masters: servers,
    nodes: nodes.join(','),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    },
  };
}

/**
 * Moves one hash slot, with its keys, from the master that serves it to another, the way
 * `redis-cli --cluster reshard` moves each slot (IMPORTING/MIGRATING, MIGRATE key batches, then
 * SETSLOT NODE everywhere), so a test can pick the slot that matters (a live session's).
 */
export async function moveSlot(nodes: string, slot: number, toPort: number): Promise<void> {
  const ports = nodes.split(',').map((node) => Number(node.split(':').pop()));
  const cli = async (port: number, ...args: string[]) =>
    (await execFileAsync('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  const ids = new Map<number, string>();
  for (const port of ports) ids.set(port, await cli(port, 'cluster', 'myid'));
  let from: number | undefined;
  for (const port of ports) {
    if (Number(await cli(port, 'cluster', 'countkeysinslot', String(slot))) > 0) from = port;
  }
  if (from === undefined) throw new Error(`slot ${slot} holds no keys to move`);
  if (from === toPort) throw new Error(`slot ${slot} is on ${toPort} already`);
  await cli(toPort, 'cluster', 'setslot', String(slot), 'importing', ids.get(from)!);
  await cli(from, 'cluster', 'setslot', String(slot), 'migrating', ids.get(toPort)!);
  for (;;) {
    const keys = (await cli(from, 'cluster', 'getkeysinslot', String(slot), '10'))
      .split('\n')
      .filter(Boolean);
    if (keys.length === 0) break;
    await cli(from, 'migrate', '127.0.0.1', String(toPort), '', '0', '5000', 'KEYS', ...keys);
    // A pause between batches keeps the slot split across both nodes for a while, as a large
    // reshard would: clients meet ASK redirections and TRYAGAIN meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const port of [toPort, from, ...ports])
    await cli(port, 'cluster', 'setslot', String(slot), 'node', ids.get(toPort)!);
}

async function clusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portFree(port)) && (await portFree(port + 10_000))) return port;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
