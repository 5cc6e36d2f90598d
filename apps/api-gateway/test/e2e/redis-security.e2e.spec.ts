import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runAppToExit } from '@livetranslate/service-kit/testing';
import { startRedisCluster, type RedisClusterServers } from '@livetranslate/redis-streams/testing';
import { Redis } from 'ioredis';
import { SENTENCE, speechWav } from './support/audio-fixtures.js';
import { selfSignedCert } from './support/tls.js';
import { completeTranscript, ENTRIES, Stack } from './support/stack.js';

/** Ready, and a session's audio comes back as its whole transcript. */
async function expectLivePath(stack: Stack): Promise<void> {
  expect((await fetch(`${stack.gateways[0]!.url}/readyz`)).status).toBe(200);
  const client = stack.client();
  const session = await client.createSession({ target_languages: ['es'] });
  await client.sendChunk(session.session_id, speechWav(SENTENCE.slice(0, 3)));
  await client.endSession(session.session_id);
  const transcript = await completeTranscript(client, session.session_id);
  expect(transcript.complete).toBe(true);
  expect(transcript.text).toBe(SENTENCE.slice(0, 3).join(' '));
}

/**
 * A Redis as a managed service runs it: TLS only (`rediss://`), the default user off, an ACL user
 * with a password. The apps reach it through REDIS_URL alone, trusting its CA via NODE_EXTRA_CA_CERTS.
 */
describe('rediss:// and an ACL user (a private TLS Redis, real processes)', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;
  let stack: Stack | undefined;

  beforeAll(async () => {
    const tls = selfSignedCert('lt-tls');
    dir = tls.dir;
    port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        join(dir, 'cert.pem'),
        '--tls-key-file',
        join(dir, 'key.pem'),
        '--tls-ca-cert-file',
        join(dir, 'cert.pem'),
        '--tls-auth-clients',
        'no',
        '--save',
        '',
        '--appendonly',
        'no',
        '--user',
        'default',
        'off',
        '--user',
        'livetranslate',
        'on',
        '>s3cret-pass',
        '~*',
        '&*',
        '+@all',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(`rediss://livetranslate:s3cret-pass@127.0.0.1:${port}`, {
      tls: { ca: readFileSync(join(dir, 'cert.pem')) },
      retryStrategy: () => 100,
    });
    probe.on('error', () => undefined);
    await probe.ping();
    probe.disconnect();
  });
  afterAll(async () => {
    await stack?.stop();
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the live path runs over it, and a wrong password stops an app at boot naming REDIS_URL', async () => {
    const env = {
      REDIS_URL: `rediss://livetranslate:s3cret-pass@127.0.0.1:${port}`,
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    };
    stack = await Stack.start({ gatewayEnv: env, workerEnv: env });
    await expectLivePath(stack);

    // Wrong credentials are a configuration error: the app stops at boot naming the variable.
    const wrong = await runAppToExit(ENTRIES.gateway, {
      ...stack.shared,
      ...env,
      REDIS_URL: `rediss://livetranslate:wrong@127.0.0.1:${port}`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('REDIS_URL (or EVENT_BUS_REDIS_URL): Redis refused it: WRONGPASS');
  });
});

/**
 * The same on a Redis Cluster as a managed service runs one: three masters serving TLS only (their
 * cluster bus too), the default user off, one ACL user. The apps get REDIS_CLUSTER_NODES alone, with
 * the credentials in its first URL.
 */
describe('a TLS-only Redis Cluster with an ACL user (private cluster, real processes)', () => {
  let dir: string;
  let cluster: RedisClusterServers;
  let stack: Stack | undefined;

  beforeAll(async () => {
    const tls = selfSignedCert('lt-tls-cluster');
    dir = tls.dir;
    cluster = await startRedisCluster(3, {
      tls: { cert: tls.cert, key: tls.key },
      user: { name: 'livetranslate', password: 'cluster-pass' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the live path runs over it, and a wrong password stops an app at boot naming REDIS_CLUSTER_NODES', async () => {
    const nodes = `rediss://livetranslate:cluster-pass@${cluster.nodes}`;
    stack = await Stack.start({ clusterNodes: nodes, redisCa: join(dir, 'cert.pem') });
    await expectLivePath(stack);

    const wrong = await runAppToExit(ENTRIES.gateway, {
      ...stack.shared,
      REDIS_CLUSTER_NODES: `rediss://livetranslate:wrong@${cluster.nodes}`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('REDIS_CLUSTER_NODES');
    expect(wrong.output).toContain('WRONGPASS');
  });
});
