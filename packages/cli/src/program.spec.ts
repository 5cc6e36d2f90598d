import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runCli, sessionExitCode } from './program.js';

async function lt(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { line: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('lt command line', () => {
  it('--help lists every command and the global options, and exits 0', async () => {
    const { code, stdout } = await lt('--help');
    expect(code).toBe(0);
    for (const text of [
      'sample',
      'stream',
      'upload',
      '--url',
      '--key',
      '--version',
      'LT_URL',
      'LT_API_KEY',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it.each([
    ['sample', ['--words', '[file]']],
    ['stream', ['--to', '--fast', '--chunk-ms', '--wait-timeout', '<file>']],
    ['upload', ['--to', '--wait-timeout', '<file>']],
    ['live', ['<session-id>', '--from-start', '--wait-timeout']],
    ['bot', ['join', 'ls', 'stop']],
  ])('%s --help documents its options and exits 0', async (command, options) => {
    const { code, stdout } = await lt(command, '--help');
    expect(code).toBe(0);
    for (const option of options) expect(stdout).toContain(option);
  });

  it.each([
    [
      ['bot', 'join', '--help'],
      ['<meeting-url>', '--to', '--platform', '--name', '--source', '--detach'],
    ],
    [
      ['bot', 'ls', '--help'],
      ['--status', '--limit'],
    ],
    [['bot', 'stop', '--help'], ['<bot-id>']],
  ])('%s documents its options', async (argv, options) => {
    const { code, stdout } = await lt(...argv);
    expect(code).toBe(0);
    for (const option of options) expect(stdout).toContain(option);
  });

  it('an unknown command says so and exits 2', async () => {
    const { code, stderr } = await lt('transmogrify');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'transmogrify'");
  });

  it('a missing argument or a bad option value exits 2 naming it', async () => {
    expect(await lt('stream')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("missing required argument 'file'"),
    });
    expect(await lt('stream', 'x.wav', '--chunk-ms', 'soon')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--chunk-ms must be a positive whole number'),
    });
    expect(await lt('upload', 'x.wav', '--speed', '2')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown option '--speed'"),
    });
  });

  it('--version prints the package version', async () => {
    expect(await lt('--version')).toMatchObject({ code: 0, stdout: '0.1.0' });
  });

  it('no arguments prints the help and exits 2', async () => {
    const { code, stdout } = await lt();
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: lt');
  });

  it('runs as the installed `lt` bin', async () => {
    const bin = fileURLToPath(new URL('../bin/lt.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'stream', '--help'], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(stdout).toContain('--chunk-ms <ms>');
  });
});

describe('exit codes of a session run', () => {
  const completed = {
    session_id: 's',
    total_chunks: 3,
    completed_chunks: 3,
    failed_chunks: 0,
    audio_ms: 9000,
  };
  it('is 0 when complete, 2 when a chunk failed, 1 when results stopped before completion', () => {
    expect(sessionExitCode(completed)).toBe(0);
    expect(sessionExitCode({ ...completed, completed_chunks: 2, failed_chunks: 1 })).toBe(2);
    expect(sessionExitCode(null)).toBe(1);
  });
});
