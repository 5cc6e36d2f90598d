import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built module: the parent below is a plain Node process, as a crashing bench or test is.
const appProcessModule = new URL('../../dist/testing/app-process.js', import.meta.url).href;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startAppProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-app-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills the apps it started when the process that started them crashes', async () => {
    const app = join(dir, 'app.mjs');
    writeFileSync(
      app,
      `import { createServer } from 'node:http';
createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`,
    );
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startAppProcess } = await import(${JSON.stringify(appProcessModule)});
const started = await startAppProcess(${JSON.stringify(app)});
console.log(started.child.pid);
throw new Error('crashed before its cleanup');`,
      ],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => parent.once('exit', resolve));
    expect(code).not.toBe(0);
    const pid = Number(stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // SIGKILL is immediate; the orphan is then reaped by init.
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const stillAlive = alive(pid);
    if (stillAlive) process.kill(pid, 'SIGKILL');
    expect(stillAlive).toBe(false);
  });
});
