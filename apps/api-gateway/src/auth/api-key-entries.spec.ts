import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvValidationError } from '@livetranslate/service-kit';
import { digestOf, hasRole, loadKeyEntries, parseKeyEntry } from './api-key-entries.js';

const strong = 'k'.repeat(40);

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('API key entries', () => {
  it('reads key:tenant with role member by default, and key:tenant:role', () => {
    expect(parseKeyEntry('abcdefgh:acme', false)).toMatchObject({ tenant: 'acme', role: 'member' });
    expect(parseKeyEntry('abcdefgh:acme:admin', false)).toMatchObject({ tenant: 'acme', role: 'admin' });
    expect(parseKeyEntry('abcdefgh:acme:platform', false).digest).toEqual(digestOf('abcdefgh'));
  });

  it('refuses unknown roles and malformed entries', () => {
    expect(() => parseKeyEntry('abcdefgh:acme:root', false)).toThrow('role "root"');
    expect(() => parseKeyEntry('short:acme', false)).toThrow('key:tenant[:role]');
    expect(() => parseKeyEntry('abcdefgh', false)).toThrow();
  });

  it('takes a key as the hex of its SHA-256, which matches the clear key', () => {
    const hex = createHash('sha256').update(strong).digest('hex');
    expect(parseKeyEntry(`sha256:${hex}:acme:admin`, true)).toEqual({
      digest: digestOf(strong),
      tenant: 'acme',
      role: 'admin',
    });
  });

  it('in production refuses the development key and keys shorter than 32 characters', () => {
    expect(() => parseKeyEntry('lt-dev-key:dev', true)).toThrow('development key');
    expect(() => parseKeyEntry(`${'k'.repeat(31)}:acme`, true)).toThrow('at least 32');
    expect(parseKeyEntry(`${strong}:acme`, true).tenant).toBe('acme');
  });

  it('falls back to the development key outside production only', () => {
    const [dev] = loadKeyEntries({ NODE_ENV: 'development' });
    expect(dev).toMatchObject({ tenant: 'dev', role: 'platform', digest: digestOf('lt-dev-key') });
    expect(problemsOf(() => loadKeyEntries({ NODE_ENV: 'production' }))).toEqual([
      'API_KEYS (unset): production needs API_KEYS or API_KEYS_FILE',
    ]);
  });

  it('reads API_KEYS_FILE (comments, blank lines, hashed keys) beside API_KEYS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys');
    const hex = createHash('sha256').update(strong).digest('hex');
    writeFileSync(file, `# tenant keys\n\nsha256:${hex}:globex:admin\n${'m'.repeat(32)}:initech # ops\n`);
    const entries = loadKeyEntries({
      NODE_ENV: 'production',
      API_KEYS: [`${'p'.repeat(32)}:acme:platform`],
      API_KEYS_FILE: file,
    });
    expect(entries.map((e) => `${e.tenant}:${e.role}`)).toEqual([
      'acme:platform',
      'globex:admin',
      'initech:member',
    ]);
  });

  it('names the variable and entry of a bad key, never the key itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys');
    writeFileSync(file, 'secret-but-short:acme\n');
    const problems = problemsOf(() => loadKeyEntries({ NODE_ENV: 'production', API_KEYS_FILE: file }));
    expect(problems).toEqual(['API_KEYS_FILE (entry 1): keys must be at least 32 characters in production']);
    expect(
      problemsOf(() => loadKeyEntries({ NODE_ENV: 'test', API_KEYS_FILE: join(dir, 'missing') }))[0],
    ).toMatch(/^API_KEYS_FILE \(".*missing"\): cannot be read/);
  });

  it('ranks roles: platform may do what admin may, admin what member may', () => {
    expect(hasRole('platform', 'admin')).toBe(true);
    expect(hasRole('admin', 'member')).toBe(true);
    expect(hasRole('member', 'admin')).toBe(false);
    expect(hasRole('admin', 'platform')).toBe(false);
  });
});
