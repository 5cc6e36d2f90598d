import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeToneWords, decodeWav } from '@livetranslate/audio';
import { DEFAULT_SAMPLE_WORDS, sampleCommand } from './commands.js';

describe('lt sample', () => {
  it('writes a WAV whose tones decode back to the words asked for', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'lt-')), 'nested', 'sample.wav');
    const lines: string[] = [];
    await sampleCommand(path, ['water', 'please'], { line: (l) => lines.push(l), error: () => undefined });
    const audio = decodeWav(await readFile(path));
    expect(decodeToneWords(audio.channels[0]!, audio.sampleRate).map((w) => w.word)).toEqual([
      'water',
      'please',
    ]);
    expect(lines[0]).toContain('"water please"');
  });

  it('refuses words outside the alphabet, naming them', async () => {
    await expect(
      sampleCommand('/tmp/never.wav', ['hello', 'banana'], { line: () => undefined, error: () => undefined }),
    ).rejects.toThrow('banana');
  });

  it('has a default sentence made of alphabet words', () => {
    expect(DEFAULT_SAMPLE_WORDS.length).toBeGreaterThan(5);
  });
});
