import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { speechWav } from './support/audio-fixtures.js';
import { runLt } from './support/cli.js';
import { Stack, TENANT_A_KEY } from './support/stack.js';

const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));
// Written inside the gateway's package, so '@livetranslate/contracts' resolves as in an app.
const DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** The README's ```ts readme-example block, as a user would paste it. */
function readmeExample(): string {
  const match = /```ts readme-example\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'));
  if (!match) throw new Error('README.md has no ```ts readme-example block');
  return match[1]!;
}

/**
 * The quick start's `lt stream` example: the output lines it shows (those without elided ids) and
 * the completion line it says follows the results.
 */
function quickStartStream(): { lines: string[]; completion: string } {
  const text = readFileSync(README, 'utf8');
  const quickStart = text.slice(text.indexOf('## Quick start'));
  const output = /pnpm lt stream samples\/greeting\.wav --to es,fr[^\n]*\n```\s*```\n([\s\S]*?)```/.exec(
    quickStart,
  );
  const completion = /`(\(session complete: [^`]*\))`/.exec(quickStart);
  if (!output || !completion) throw new Error("README's quick start has no `lt stream` example");
  const lines = output[1]!.split('\n').filter((line) => line.trim() !== '' && !line.includes('…'));
  return { lines, completion: completion[1]! };
}

describe('the README’s GatewayClient example (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('runs as written and prints what the session heard, translated, and its completion', async () => {
    mkdirSync(DIR, { recursive: true });
    const script = join(DIR, 'readme-example.mjs');
    writeFileSync(script, readmeExample());
    const sample = join(DIR, 'readme-sample.wav');
    writeFileSync(sample, speechWav(['hello', 'world']));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        LT_URL: stack.gateways[0]!.url,
        LT_API_KEY: TENANT_A_KEY,
        SAMPLE: sample,
      },
    });
    expect(stdout).toBe('heard: hello world\nes: hola mundo\ndone: 1 chunks\n');
  });

  it('quick start: `lt sample` then `lt stream … --to es,fr` print what the README shows', async () => {
    mkdirSync(DIR, { recursive: true });
    const sample = join(DIR, 'greeting.wav');
    const target = { urls: [stack.gateways[0]!.url], key: TENANT_A_KEY };
    expect((await runLt(['sample', sample], target)).code).toBe(0);
    const streamed = await runLt(['stream', sample, '--to', 'es,fr'], target);
    expect(streamed.code).toBe(0);
    const printed = streamed.output.split('\n');
    const { lines, completion } = quickStartStream();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of [...lines, completion]) expect(printed).toContain(line);
  });
});
