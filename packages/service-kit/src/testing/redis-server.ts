import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startupTimeoutMs } from './app-process.js';

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
  options: { port?: number; dir?: string; args?: string[] } = {},
): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lt-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...(options.args ?? [])],
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
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
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
