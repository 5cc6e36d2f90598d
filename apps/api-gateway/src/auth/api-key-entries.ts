import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EnvValidationError } from '@livetranslate/service-kit';

/** What a key may do, lowest first: each role may do everything the ones before it may. */
export const ROLES = ['member', 'admin', 'platform'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export interface ApiKeyEntry {
  /** SHA-256 of the key: keys are only ever compared by digest. */
  digest: Buffer;
  tenant: string;
  role: Role;
}

/** The key a local, default run accepts (outside production only). */
export const DEVELOPMENT_KEY = 'lt-dev-key';
export const DEVELOPMENT_ENTRY = `${DEVELOPMENT_KEY}:dev:platform`;
/** Shortest key accepted in production. */
export const MIN_PRODUCTION_KEY_LENGTH = 32;

const ENTRY = /^(?:sha256:([0-9a-fA-F]{64})|([^:\s]{8,})):([A-Za-z0-9_.-]+)(?::([a-z]+))?$/;

export function digestOf(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Parses `key:tenant[:role]` or `sha256:<hex>:tenant[:role]`; the error says what is wrong. */
export function parseKeyEntry(entry: string, production: boolean): ApiKeyEntry {
  const match = entry.match(ENTRY);
  if (!match) {
    throw new Error(
      'entries must be key:tenant[:role] (a key of 8+ characters without ":") or sha256:<64 hex>:tenant[:role]',
    );
  }
  const [, hex, clear, tenant, role = 'member'] = match;
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new Error(`role "${role}" is not one of ${ROLES.join(', ')}`);
  }
  if (production && clear !== undefined) {
    if (clear === DEVELOPMENT_KEY) throw new Error('the development key is refused in production');
    if (clear.length < MIN_PRODUCTION_KEY_LENGTH) {
      throw new Error(`keys must be at least ${MIN_PRODUCTION_KEY_LENGTH} characters in production`);
    }
  }
  return { digest: hex ? Buffer.from(hex, 'hex') : digestOf(clear!), tenant: tenant!, role: role as Role };
}

export interface KeySources {
  NODE_ENV: string;
  API_KEYS?: readonly string[];
  API_KEYS_FILE?: string;
}

/**
 * Every key the gateway accepts, from API_KEYS and API_KEYS_FILE. Throws EnvValidationError naming
 * the variable (and the entry's position, never the key itself) when one is bad. Outside
 * production, no keys at all means the development key; in production it means no start.
 */
export function loadKeyEntries(env: KeySources): ApiKeyEntry[] {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  const entries: ApiKeyEntry[] = [];
  const parseAll = (variable: string, lines: readonly string[]) =>
    lines.forEach((line, index) => {
      try {
        entries.push(parseKeyEntry(line, production));
      } catch (error) {
        problems.push(`${variable} (entry ${index + 1}): ${(error as Error).message}`);
      }
    });
  parseAll('API_KEYS', env.API_KEYS ?? []);
  if (env.API_KEYS_FILE) {
    let text: string | undefined;
    try {
      text = readFileSync(env.API_KEYS_FILE, 'utf8');
    } catch (error) {
      problems.push(`API_KEYS_FILE ("${env.API_KEYS_FILE}"): cannot be read (${(error as Error).message})`);
    }
    if (text !== undefined) parseAll('API_KEYS_FILE', entriesOfFile(text));
  }
  if (problems.length > 0) throw new EnvValidationError(problems);
  if (entries.length === 0) {
    if (production) {
      throw new EnvValidationError(['API_KEYS (unset): production needs API_KEYS or API_KEYS_FILE']);
    }
    return [parseKeyEntry(DEVELOPMENT_ENTRY, false)];
  }
  return entries;
}

/** One entry per line or comma; blank lines and `#` comments are skipped. */
function entriesOfFile(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
}
