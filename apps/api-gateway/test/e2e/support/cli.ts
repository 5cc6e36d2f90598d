import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LT = fileURLToPath(new URL('../../../../../packages/cli/bin/lt.js', import.meta.url));

/** A WAV written to a fresh temporary directory, for the CLI to read. */
export async function wavFile(wav: Buffer, name = 'speech.wav'): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'lt-cli-')), name);
  await writeFile(file, wav);
  return file;
}

/** `lt <args>` as a user runs it (the built CLI, a process of its own); resolves its exit code and output. */
export function runLt(
  args: string[],
  options: { urls: string[]; key: string },
): Promise<{ code: number | null; output: string }> {
  return startLt(args, options).done;
}

/** `lt <args>` started: its output so far at any moment, and its exit code and output once it exits. */
export function startLt(
  args: string[],
  { urls, key }: { urls: string[]; key: string },
): { output: () => string; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, [LT, '--url', urls.join(','), '--key', key, ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve)).then((code) => ({
    code,
    output,
  }));
  return { output: () => output, done };
}
