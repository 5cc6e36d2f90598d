import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '@livetranslate/audio';
import { sessionKeys } from '@livetranslate/contracts';
import { completeTranscript, Stack, TENANT_A_KEY } from './support/stack.js';

/** Tone-coded "hello world good morning", encoded by Debian's encoders (see packages/audio/fixtures). */
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../packages/audio/fixtures/${name}`, import.meta.url)));
const WORDS = 'hello world good morning';

describe('audio formats browsers and phones record (real processes)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it.each([
    ['speech.webm', 'WebM/Opus, as MediaRecorder writes it'],
    ['speech-laced.webm', 'WebM/Opus with laced blocks'],
    ['speech.opus', 'Ogg/Opus'],
    ['speech.mp3', 'MP3 (24 kHz stereo)'],
  ])('an upload of %s (%s) is decoded, resampled to 16 kHz and transcribed word for word', async (name) => {
    const client = stack.client();
    const upload = await client.upload(fixture(name), { target_languages: ['es'], chunk_ms: 1500 });
    const transcript = await completeTranscript(client, upload.session_id);
    expect(transcript.complete).toBe(true);
    expect(transcript.text).toBe(WORDS);
    expect(transcript.translations.es!.text).not.toBe('');
    expect(upload.audio_ms).toBeGreaterThan(2000);
    // What the worker got: WAV chunks at the session's 16 kHz, whatever the file's own rate.
    const chunk = await stack.redis.getBuffer(sessionKeys(stack.ns, upload.session_id).chunkAudio(0));
    expect(decodeWav(chunk!).sampleRate).toBe(16_000);
  });

  it('takes a compressed HTTP chunk into a live session at the session’s rate', async () => {
    const client = stack.client();
    const session = await client.createSession({ chunk_ms: 3000 });
    const response = await fetch(`${stack.gateways[0]!.url}/api/sessions/${session.session_id}/audio`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TENANT_A_KEY}`, 'content-type': 'audio/ogg' },
      body: fixture('speech.opus'),
    });
    expect(response.status).toBe(202);
    await client.endSession(session.session_id);
    const transcript = await completeTranscript(client, session.session_id);
    expect(transcript.text).toBe(WORDS);
  });

  it('answers a format it cannot decode with 415 listing what it takes, and a broken file with 400', async () => {
    const client = stack.client();
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ not audio');
    await expect(client.upload(pdf)).rejects.toMatchObject({
      status: 415,
      code: 'unsupported_audio',
      message: expect.stringContaining('WebM/Opus, Ogg/Opus, MP3'),
    });
    await expect(client.upload(fixture('speech.webm').subarray(0, 60))).rejects.toMatchObject({
      status: 400,
      code: 'invalid_audio',
    });
    expect((await client.listSessions()).sessions).toHaveLength(4 + 1); // no session for refused audio
  });
});
