import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPS } from '../../src/catalogue.js';
import { REPO, TEMPLATE_VARS } from '../env-template.js';

const variables = (text: string) =>
  text
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));

describe('just bootstrap-env (per-app .env files from env.template)', () => {
  it('writes, for each app, only the variables it reads, with their template defaults', () => {
    const out = mkdtempSync(join(tmpdir(), 'lt-env-'));
    execFileSync(process.execPath, [`${REPO}packages/service-kit/scripts/bootstrap-env.mjs`, '--out', out], {
      cwd: REPO,
      stdio: 'pipe',
    });
    for (const app of APPS) {
      const text = readFileSync(join(out, `${app.name}.env`), 'utf8');
      const names = variables(text);
      expect(names).toContain('PORT');
      for (const name of names) expect(TEMPLATE_VARS.has(name)).toBe(true);
      // The gateway reads API keys; a mock does not.
      expect(names.includes('API_KEYS')).toBe(app.name === 'api-gateway');
    }
    expect(readFileSync(join(out, 'whisper-mock.env'), 'utf8')).toMatch(/^MOCK_LATENCY_MS=0$/m);
    // A second run keeps what is there (a developer's edits).
    const output = execFileSync(
      process.execPath,
      [`${REPO}packages/service-kit/scripts/bootstrap-env.mjs`, '--out', out],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(output).toContain('exists; left alone');
    rmSync(out, { recursive: true });
  });
});
