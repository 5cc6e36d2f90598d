// Writes apps/<app>/.env from env.template: the variables that app reads, with their defaults, for
// editing. The apps read it only when told to (ENV_FILE=.env, as `just up-dev` does), so tests and
// production never pick it up. An existing .env is left alone. Run after `pnpm build`.
// `--out <dir>` writes <dir>/<app>.env instead (for a look, or a test).
import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CommonEnv, declaredVariables } from '../dist/index.js';

const root = new URL('../../../', import.meta.url);
const template = readFileSync(new URL('env.template', root), 'utf8').split('\n');
const outAt = process.argv.indexOf('--out');
const outDir = outAt > 0 ? process.argv[outAt + 1] : undefined;

for (const app of readdirSync(new URL('apps/', root))) {
  const envModule = new URL(`apps/${app}/dist/config/env.js`, root);
  const target = outDir ? new URL(`file://${outDir}/${app}.env`) : new URL(`apps/${app}/.env`, root);
  if (!existsSync(envModule)) continue;
  if (existsSync(target)) {
    console.log(`${target.pathname} exists; left alone`);
    continue;
  }
  const exports = Object.values(await import(envModule.href));
  const envClass = exports.find(
    (value) => typeof value === 'function' && value.prototype instanceof CommonEnv,
  );
  const reads = new Set(declaredVariables(envClass));
  // Each variable's line with the comment lines right above it.
  const lines = [`# ${app}: the variables it reads (from env.template). Used with ENV_FILE=.env.`];
  let comments = [];
  for (const line of template) {
    if (line.startsWith('#') && !/^#\s*[A-Z][A-Z0-9_]+=/.test(line)) comments.push(line);
    else if (/^#?\s*([A-Z][A-Z0-9_]+)=/.test(line)) {
      const name = /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)[1];
      if (reads.has(name)) lines.push(...comments.filter((c) => !c.startsWith('# ---')), line);
      comments = [];
    } else comments = [];
  }
  writeFileSync(target, `${lines.join('\n')}\n`);
  console.log(`wrote ${target.pathname} (${reads.size} variables)`);
}
