import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeToneWords, decodeWav } from '@livetranslate/audio';
import { DEFAULT_SAMPLE_WORDS, sampleCommand, waitingNotice } from './commands.js';

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

describe('what lt says while it waits', () => {
  const progress = {
    chunks_accepted: 5,
    chunks_completed: 2,
    chunks_failed: 1,
    chunks_processing: 2,
    complete: false,
  };

  it('names the missing worker when nothing consumes the queue', () => {
    expect(waitingNotice({ ...progress, ingest_queue: { waiting: 2, in_progress: 0, workers: 0 } })).toBe(
      '(waiting: 3 of 5 chunks done; no audio worker is consuming the ingest queue (2 chunks waiting) — is the audio-pipeline-worker running?)',
    );
  });

  it('otherwise says how much is ahead and who works on it', () => {
    expect(waitingNotice({ ...progress, ingest_queue: { waiting: 7, in_progress: 2, workers: 1 } })).toBe(
      '(waiting: 3 of 5 chunks done; 2 being processed, 7 queued, 1 worker)',
    );
    expect(waitingNotice(progress)).toBe('(waiting: 3 of 5 chunks done)');
  });
});
