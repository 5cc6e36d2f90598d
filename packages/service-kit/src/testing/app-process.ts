import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, startupTimeoutMs } from '@livetranslate/redis-streams/testing';

export { freePort, startupTimeoutMs };

/**
 * What an app's build leaves to run, relative to the app's directory: the single-file bundle
 * (scripts/bundle-app.mjs) the images start, so the tests start exactly that.
 */
export const APP_ENTRY = 'dist/main.bundle.js';

/** The runnable entry of the app in `apps/<name>` of the repository at `repoRoot` (ending in /). */
export function appEntry(repoRoot: string, name: string): string {
  return `${repoRoot}apps/${name}/${APP_ENTRY}`;
}

export interface AppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** SIGTERM (or the given signal) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a built app (`node <entry>`) as a real process on a free port and waits until its
 * `/healthz` answers. Used by contract and end-to-end tests.
 */
export interface LaunchOptions {
  /** Runs `node <entry>` through this command line (e.g. `setpriv --reuid …` to switch user). */
  wrapper?: string[];
  /** Options for node itself, before the entry (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  cwd?: string;
}

/**
 * Apps started here and still running, killed if this process exits without stopping them: a test
 * or bench that crashes (or calls process.exit) before its cleanup would otherwise leave them
 * running, polling Redis and taking CPU from every later run on the machine. Kept on `process`, so
 * one exit hook serves every copy of this module (jest loads one per test file).
 */
const RUNNING = Symbol.for('@livetranslate/service-kit/running-apps');

function track(child: ChildProcess): void {
  const host = process as NodeJS.Process & { [RUNNING]?: Set<ChildProcess> };
  let running = host[RUNNING];
  if (!running) {
    const apps = (running = host[RUNNING] = new Set());
    process.once('exit', () => {
      for (const app of apps) app.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export async function startAppProcess(
  entry: string,
  env: Record<string, string> = {},
  timeoutMs = startupTimeoutMs(),
  launch: LaunchOptions = {},
): Promise<AppProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const node = [process.execPath, '--enable-source-maps', ...(launch.nodeArgs ?? []), entry];
  const [command, ...args] = [...(launch.wrapper ?? []), ...node];
  const child = spawn(command!, args, {
    ...(launch.cwd ? { cwd: launch.cwd } : {}),
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs a built app expecting it to exit (e.g. on a bad variable); resolves its exit code and output. */
export async function runAppToExit(entry: string, env: Record<string, string>, timeoutMs = 60_000) {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}
