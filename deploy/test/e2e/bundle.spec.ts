import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ENTRY, startAppProcess } from '@livetranslate/service-kit/testing';
import { Redis } from 'ioredis';
import { APPS, RUN_AS_USER } from '../../src/catalogue.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Build tools a production image must not carry. TypeScript would arrive as @nestjs/swagger's
 * optional peer; .pnpmfile.cjs drops that peer (only swagger's compiler plugin uses it).
 */
const DEV_ONLY = ['jest', '@swc', 'eslint', 'prettier', 'turbo', 'typescript'];

/**
 * Each app's production bundle, made by the script the Dockerfile runs, started the way the image
 * starts it: NODE_ENV=production, as the image's numeric user, from a directory that user cannot
 * write (the pods' read-only root filesystem), with only /tmp writable.
 */
describe('production bundles (what each image holds)', () => {
  const root = mkdtempSync(join(tmpdir(), 'lt-bundles-'));
  chmodSync(root, 0o755); // readable by the image's user, writable by root only
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    // What the apps wrote under their test prefixes (registrations, configuration).
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys('test:bundle:*');
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it.each(APPS.map((a) => a.name))(
    '%s starts from its bundle as uid 10001 and stops cleanly',
    async (name) => {
      expect(process.getuid?.()).toBe(0); // setpriv needs root to switch to the image's user
      const out = join(root, name);
      execFileSync(`${repo}scripts/bundle.sh`, [name, out], { cwd: repo, stdio: 'pipe' });
      expect(existsSync(join(out, APP_ENTRY))).toBe(true);
      // Its source map reaches back through tsc's to the TypeScript, so traces name src/*.ts.
      const map = JSON.parse(readFileSync(join(out, `${APP_ENTRY}.map`), 'utf8')) as { sources: string[] };
      expect(map.sources).toContain('../src/main.ts');
      const installed = readdirSync(join(out, 'node_modules/.pnpm'));
      for (const tool of DEV_ONLY) {
        expect({ name, tool, found: installed.filter((d) => d.startsWith(tool.replace('/', '+'))) }).toEqual({
          name,
          tool,
          found: [],
        });
      }
      const user = String(RUN_AS_USER);
      const app = await startAppProcess(
        join(out, APP_ENTRY),
        {
          NODE_ENV: 'production',
          HOME: '/tmp',
          REDIS_URL,
          REDIS_KEY_PREFIX: `test:bundle:${name}`,
          API_KEYS: 'bundle-test-key-of-at-least-32-characters:bundle:admin',
          // A starved CI machine drains slowly; this test is about the bundle, not the drain's speed.
          SHUTDOWN_GRACE_MS: '120000',
        },
        undefined,
        { wrapper: ['setpriv', '--reuid', user, '--regid', user, '--clear-groups'], cwd: out },
      );
      const code = await app.stop('SIGTERM');
      expect({ code, output: code === 0 ? '' : app.output() }).toEqual({ code: 0, output: '' });
    },
  );
});
