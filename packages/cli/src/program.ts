import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { GatewayClient, type SessionCompleted } from '@livetranslate/contracts';
import { botJoinCommand, botListCommand } from './bot-commands.js';
import {
  DEFAULT_SAMPLE_WORDS,
  liveCommand,
  sampleCommand,
  streamCommand,
  uploadCommand,
  type FollowOptions,
  type Output,
} from './commands.js';

/** Exit codes: 0 done, 1 the operation failed, 2 the command line was wrong (or a chunk failed). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A session's exit code: 0 complete, 2 complete with failed chunks, 1 results stopped before it completed. */
export function sessionExitCode(completed: SessionCompleted | null): number {
  if (!completed) return EXIT.failed;
  return completed.failed_chunks > 0 ? EXIT.usage : EXIT.ok;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface GlobalOptions {
  url: string;
  key: string;
}

function languagesOf(value: string): string[] {
  return value
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive whole number`);
    return n;
  };
}

interface Waiting {
  waitTimeout: number;
}

function waitTimeout(): Option {
  return new Option(
    '--wait-timeout <seconds>',
    'give up (exit 1) when no result came for this long and no audio worker is consuming',
  )
    .argParser(positiveInt('--wait-timeout'))
    .default(60);
}

/** After a quiet spell of a few seconds (never more than half the timeout) the CLI says what it waits for. */
function followOptions({ waitTimeout }: Waiting): FollowOptions {
  const giveUpMs = waitTimeout * 1000;
  return { giveUpMs, stallMs: Math.min(5_000, giveUpMs / 2) };
}

/**
 * The `lt` program. Commands record their exit code through `setExitCode`; errors of the command
 * line (unknown command or option, missing argument) become exit 2, --help and --version exit 0.
 */
export function buildProgram(out: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('lt')
    .description('LiveTranslate from the command line: make a sample, stream it live, upload a file.')
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(
      new Option(
        '--url <url>',
        'gateway URL; a comma-separated list adds replicas that live audio moves to if the first is lost',
      )
        .env('LT_URL')
        .default('http://localhost:3000'),
    )
    .addOption(
      new Option('--key <key>', 'API key (default: the development key lt-dev-key)')
        .env('LT_API_KEY')
        .default('lt-dev-key', 'lt-dev-key'),
    )
    .showHelpAfterError('(run lt --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.line(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) });

  const client = () => {
    const { url, key } = program.opts<GlobalOptions>();
    const [baseUrl, ...fallbackUrls] = url.split(',').map((u) => u.trim());
    return new GatewayClient({ baseUrl: baseUrl!, apiKey: key, fallbackUrls });
  };

  program
    .command('sample')
    .description('write a tone-coded speech sample that whisper-mock transcribes back to the words')
    .argument('[file]', 'WAV file to write', 'samples/greeting.wav')
    .option(
      '--words <words>',
      'words from the tone alphabet, space-separated',
      DEFAULT_SAMPLE_WORDS.join(' '),
    )
    .action(async (file: string, options: { words: string }) => {
      await sampleCommand(file, options.words.split(/\s+/).filter(Boolean), out);
      setExitCode(EXIT.ok);
    });

  program
    .command('stream')
    .description('stream a WAV live over the session WebSocket; print results as they arrive')
    .argument('<file>', 'WAV file to stream')
    .option('--to <languages>', 'target languages, comma-separated (e.g. es,fr)', '')
    .option('--fast', 'send as fast as possible instead of at real-time pace', false)
    .option(
      '--chunk-ms <ms>',
      'chunk length of the session, in ms (default: the gateway’s, 3000)',
      positiveInt('--chunk-ms'),
    )
    .addOption(waitTimeout())
    .action(async (file: string, options: { to: string; fast: boolean; chunkMs?: number } & Waiting) => {
      const { completed } = await streamCommand(
        {
          client: client(),
          file,
          languages: languagesOf(options.to),
          paced: !options.fast,
          ...(options.chunkMs ? { chunkMs: options.chunkMs } : {}),
          ...followOptions(options),
        },
        out,
      );
      setExitCode(sessionExitCode(completed));
    });

  program
    .command('upload')
    .description('upload a whole file, print results as they arrive, then the finished transcript')
    .argument('<file>', 'audio file to upload (WAV)')
    .option('--to <languages>', 'target languages, comma-separated (e.g. es,fr)', '')
    .addOption(waitTimeout())
    .action(async (file: string, options: { to: string } & Waiting) => {
      const { completed } = await uploadCommand(
        { client: client(), file, languages: languagesOf(options.to), ...followOptions(options) },
        out,
      );
      setExitCode(sessionExitCode(completed));
    });

  program
    .command('live')
    .description('follow a session as it happens (a bot’s meeting, an upload, someone else’s stream)')
    .argument('<session-id>', 'the session to follow')
    .option('--from-start', 'replay the session’s events so far first, then follow', false)
    .addOption(waitTimeout())
    .action(async (sessionId: string, options: { fromStart: boolean } & Waiting) => {
      const completed = await liveCommand(
        { client: client(), sessionId, fromStart: options.fromStart, ...followOptions(options) },
        out,
      );
      setExitCode(sessionExitCode(completed));
    });

  const bot = program.command('bot').description('meeting bots: send one to a meeting, list them, stop one');
  bot
    .command('join')
    .description('send a bot to a meeting and follow it until it ends (Ctrl-C leaves it running)')
    .argument('<meeting-url>', 'https://… meeting, or sim://<meeting>?… for a simulated one')
    .option('--to <languages>', 'target languages, comma-separated (e.g. es,fr)', '')
    .option(
      '--platform <platform>',
      'google_meet, zoom, teams (default: simulated for sim:// URLs, else google_meet)',
    )
    .option('--name <name>', 'the name the bot joins as', 'LiveTranslate')
    .option('--source <language>', 'language spoken in the meeting (default: detected)')
    .option('--detach', 'print the bot and return at once instead of following it', false)
    .action(
      async (
        url: string,
        options: { to: string; platform?: string; name: string; source?: string; detach: boolean },
      ) => {
        const outcome = await botJoinCommand(
          {
            client: client(),
            url,
            languages: languagesOf(options.to),
            platform: options.platform,
            name: options.name,
            source: options.source,
            follow: !options.detach,
          },
          out,
        );
        setExitCode(outcome === 'failed' ? EXIT.usage : EXIT.ok);
      },
    );
  bot
    .command('ls')
    .description('list your bots, newest first')
    .option('--status <status>', 'only bots in this state (e.g. active, queued, failed)')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20)
    .action(async (options: { status?: string; limit: number }) => {
      await botListCommand(
        client(),
        { limit: options.limit, ...(options.status ? { status: options.status } : {}) },
        out,
      );
      setExitCode(EXIT.ok);
    });
  bot
    .command('stop')
    .description('ask a bot to leave; it ends stopped once its last audio is in')
    .argument('<bot-id>', 'the bot to stop')
    .action(async (id: string) => {
      const stopped = await client().stopBot(id);
      out.line(`bot ${stopped.bot_id}: stop requested (was ${stopped.status})`);
      setExitCode(EXIT.ok);
    });

  return program;
}

/** Runs the program on `argv` (without node and script) and resolves to the process exit code. */
export async function runCli(argv: readonly string[], out: Output): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(out, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are how commander says it printed them.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    throw error;
  }
}
