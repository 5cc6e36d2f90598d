import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Every variable the apps read, from env.template (each app's env test keeps it complete). */
export const TEMPLATE_VARS = new Set(
  readFileSync(`${REPO}env.template`, 'utf8')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name)),
);
