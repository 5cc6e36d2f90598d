import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, startupTimeoutMs } from '@livetranslate/service-kit/testing';
import { REPO } from '../env-template.js';

const server = (version: string) =>
  `import { createServer } from 'node:http';\n` +
  `createServer((_req, res) => res.end('${version}')).listen(Number(process.env.PORT));\n`;

async function served(port: number): Promise<string | null> {
  try {
    return await (await fetch(`http://127.0.0.1:${port}/`)).text();
  } catch {
    return null;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + startupTimeoutMs();
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `turbo dev` runs scripts/watch-app.mjs in every app: a source change must recompile and restart
 * the app, and Ctrl-C must stop the compiler and the app together. Driven on a one-file app of the
 * same shape (tsconfig.build.json, src → dist) so the test never edits the repository.
 */
describe('watch mode (scripts/watch-app.mjs, what `pnpm dev` runs in each app)', () => {
  let dir: string;
  let watcher: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lt-watch-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.build.json'),
      JSON.stringify({
        extends: `${REPO}tsconfig.base.json`,
        compilerOptions: {
          rootDir: 'src',
          outDir: 'dist',
          typeRoots: [`${REPO}node_modules/@types`],
          declaration: false,
          declarationMap: false,
        },
        include: ['src'],
      }),
    );
    writeFileSync(join(dir, 'src/main.ts'), server('v1'));
  });

  afterAll(() => {
    if (watcher?.exitCode === null) watcher.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts the app on a source change and stops everything on Ctrl-C', async () => {
    const env = { ...process.env, PATH: `${REPO}node_modules/.bin${delimiter}${process.env.PATH}` };
    // turbo's `dev` depends on `build`: the app starts from what the build left.
    execFileSync('tsc', ['-p', 'tsconfig.build.json'], { cwd: dir, env, stdio: 'pipe' });
    const port = await freePort();
    watcher = spawn(process.execPath, [`${REPO}scripts/watch-app.mjs`], {
      cwd: dir,
      env: { ...env, PORT: String(port) },
      stdio: 'pipe',
    });
    let output = '';
    watcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    watcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => watcher!.on('exit', (code) => resolve(code)));

    await waitFor('v1', async () => (await served(port)) === 'v1');
    // The compiler has checked its state once before edits count as changes.
    await waitFor('the compiler to watch', async () => /Watching for file changes/.test(output));
    writeFileSync(join(dir, 'src/main.ts'), server('v2'));
    await waitFor('v2 after the edit', async () => (await served(port)) === 'v2');
    expect(output).toMatch(/Restarting 'dist\/main.js'/);

    watcher.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await served(port)).toBeNull();
  });
});
