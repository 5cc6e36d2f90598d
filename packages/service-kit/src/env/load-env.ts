import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { useEnvLogger } from '../tracing/platform-logger.js';
import { CommonEnv } from './common-env.js';

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n  ${problems.join('\n  ')}`);
    this.name = 'EnvValidationError';
  }
}

/**
 * Parses and validates the environment once, into a frozen instance of `cls`. Only the variables
 * `cls` declares are read; empty strings count as unset so defaults apply. With ENV_FILE set, the
 * variables in that file (dotenv format) apply too, below the real environment; without it no file
 * is read, so tests never pick up a developer's `.env`. Throws EnvValidationError naming every bad
 * variable and the value it had.
 */
export function loadEnv<T extends object>(
  cls: new () => T,
  processEnv: NodeJS.ProcessEnv = process.env,
): Readonly<T> {
  const env = withEnvFile(processEnv);
  const raw: Record<string, string> = {};
  for (const name of declaredVariables(cls)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const instance = plainToInstance(cls, raw, { exposeDefaultValues: true });
  const errors = validateSync(instance, { forbidUnknownValues: true });
  if (errors.length > 0) throw new EnvValidationError(describe(errors, raw));
  return Object.freeze(instance);
}

function withEnvFile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.ENV_FILE?.trim();
  if (!file) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EnvValidationError([`ENV_FILE ("${file}"): cannot read it: ${(error as Error).message}`]);
  }
  return { ...parseEnv(text), ...env };
}

/** The variables a config class reads: its validated properties and those with defaults. */
export function declaredVariables(cls: new () => object): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', false, false)
    .map((m) => m.propertyName);
  return [...new Set([...validated, ...Object.keys(new cls())])].sort();
}

/** Variables whose values never appear in messages: keys, tokens, passwords, URLs with credentials. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/;

function describe(errors: ValidationError[], raw: Record<string, string>): string[] {
  return errors.map((error) => {
    const value = raw[error.property];
    const got =
      value === undefined ? 'unset' : SECRET_NAME.test(error.property) ? 'set, value hidden' : `"${value}"`;
    return `${error.property} (${got}): ${Object.values(error.constraints ?? {}).join('; ')}`;
  });
}

/** Loads the environment or stops the process with a message naming the bad variables. */
export function loadEnvOrExit<T extends object>(
  cls: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<T> {
  const loaded = orExitOnEnvError(() => loadEnv(cls, env));
  // Lines logged before the app exists (tracing, key warnings) follow the same format and level.
  if (loaded instanceof CommonEnv) useEnvLogger(loaded);
  return loaded;
}

/**
 * Runs a boot-time check that reads the environment (or files it names) and stops the process
 * with its message when it throws EnvValidationError.
 */
export function orExitOnEnvError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof EnvValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
