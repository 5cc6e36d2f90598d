#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { GatewayClient, GatewayError } from '@livetranslate/contracts';
import { DEFAULT_SAMPLE_WORDS, sampleCommand, streamCommand } from './commands.js';

const USAGE = `lt — LiveTranslate from the command line

  lt sample [file.wav] [--words "hello world ..."]   write a tone-coded speech sample (default samples/greeting.wav)
  lt stream <file.wav> --to es,fr [--fast]           stream it live; print transcripts and translations as they arrive
  lt upload <file.wav> --to es,fr                    upload it whole and print the finished transcript

  --url   gateway URL   (LT_URL, default http://localhost:3000)
  --key   API key       (LT_API_KEY, default the development key lt-dev-key)`;

const out = { line: (text: string) => process.stdout.write(`${text}\n`) };

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string', default: '' },
      fast: { type: 'boolean', default: false },
      words: { type: 'string' },
      url: { type: 'string', default: process.env.LT_URL ?? 'http://localhost:3000' },
      key: { type: 'string', default: process.env.LT_API_KEY ?? 'lt-dev-key' },
      'chunk-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || !command) {
    out.line(USAGE);
    return command ? 0 : 1;
  }
  const languages = values.to
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const client = new GatewayClient({ baseUrl: values.url, apiKey: values.key });
  switch (command) {
    case 'sample':
      await sampleCommand(
        file ?? 'samples/greeting.wav',
        values.words?.split(/\s+/).filter(Boolean) ?? DEFAULT_SAMPLE_WORDS,
        out,
      );
      return 0;
    case 'stream': {
      if (!file) throw new Error('lt stream needs a WAV file');
      const chunkMs = values['chunk-ms'] ? Number(values['chunk-ms']) : undefined;
      const transcript = await streamCommand(
        { client, file, languages, paced: !values.fast, ...(chunkMs ? { chunkMs } : {}) },
        out,
      );
      return transcript.failures.length ? 2 : 0;
    }
    case 'upload': {
      if (!file) throw new Error('lt upload needs a WAV file');
      const { readFile } = await import('node:fs/promises');
      const result = await client.upload(await readFile(file), { wait: true, target_languages: languages });
      out.line(`transcript: ${result.transcript?.text ?? '(not finished)'}`);
      for (const [language, t] of Object.entries(result.transcript?.translations ?? {}))
        out.line(`${language}: ${t.text}`);
      return 0;
    }
    default:
      out.line(USAGE);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof GatewayError
        ? `${error.status} ${error.code}: ${error.message}`
        : (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
          ? 'cannot reach the gateway; is it running? (./scripts/dev.sh)'
          : (error as Error).message;
    process.stderr.write(`lt: ${message}\n`);
    process.exit(1);
  },
);
