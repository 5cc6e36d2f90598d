import { readFileSync } from 'node:fs';

/** The variable names `env.template` (at the repository root) documents. */
export function documentedVariables(templatePath: string): Set<string> {
  const names = readFileSync(templatePath, 'utf8')
    .split('\n')
    .map((line) => line.match(/^([A-Z][A-Z0-9_]*)=/)?.[1])
    .filter((name): name is string => Boolean(name));
  return new Set(names);
}
