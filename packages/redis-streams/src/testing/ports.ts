import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * How long a test waits for an app to answer: a minute on an idle machine, up to four on a busy one
 * (load average per core), or TEST_STARTUP_TIMEOUT_MS. A loaded two-core CI machine starts a dozen
 * Node processes at once; a fixed timeout made that flaky.
 */
export function startupTimeoutMs(): number {
  const fixed = Number(process.env.TEST_STARTUP_TIMEOUT_MS);
  if (fixed > 0) return fixed;
  const load = loadavg()[0]! / Math.max(1, cpus().length);
  return Math.round(60_000 * Math.min(4, Math.max(1, load)));
}
