import OpenAI, { toFile } from 'openai';
import { SENTENCE, speechWav } from './support/audio-fixtures.js';
import { Stack, TENANT_A_KEY } from './support/stack.js';

const WORDS = SENTENCE.slice(0, 4);

describe('OpenAI-compatible audio API, driven by the official openai SDK (real processes)', () => {
  let stack: Stack;
  let openai: OpenAI;
  beforeAll(async () => {
    stack = await Stack.start();
    // Exactly as code written for OpenAI is pointed elsewhere: a base URL and a key.
    openai = new OpenAI({ baseURL: `${stack.gateways[0]!.url}/v1`, apiKey: TENANT_A_KEY, maxRetries: 0 });
  });
  afterAll(() => stack?.stop());

  const file = () => toFile(speechWav(WORDS), 'speech.wav', { type: 'audio/wav' });

  it('transcribes (json, text, verbose_json)', async () => {
    const json = await openai.audio.transcriptions.create({ file: await file(), model: 'whisper-1' });
    expect(json.text).toBe(WORDS.join(' '));

    const text = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(text.trim()).toBe(WORDS.join(' '));

    const verbose = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      language: 'en',
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ language: 'english', text: WORDS.join(' ') });
    expect(verbose.duration).toBeGreaterThan(1);
    expect(verbose.segments!.map((s) => s.text)).toEqual(WORDS);
    expect(verbose.segments![0]!.start).toBeCloseTo(0.2, 1); // absolute seconds into the file
  });

  it('answers subtitles (srt, vtt) timed to the words', async () => {
    const srt = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'srt',
    });
    expect(srt).toMatch(/^1\n00:00:00,2\d\d --> 00:00:00,5\d\d\nhello\n\n2\n/);
    const vtt = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'vtt',
    });
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.2')).toBe(true);
    expect(vtt.trim().split('\n').pop()).toBe(WORDS.at(-1));
  });

  it('translates into English, as OpenAI defines translations, through the translation service', async () => {
    const result = await openai.audio.translations.create({ file: await file(), model: 'whisper-1' });
    // The tone-coded speech is English already: into English, the words come back as they are.
    expect(result.text).toBe(WORDS.join(' '));
    // It went through the pipeline's translation: the session asked for English, and got it per chunk.
    const client = stack.client();
    const [session] = (await client.listSessions({ limit: 1 })).sessions;
    expect(session!.options.target_languages).toEqual(['en']);
    const transcript = await client.transcript(session!.session_id);
    expect(transcript.translations.en!.text).toBe(WORDS.join(' '));
    expect(transcript.translations.en!.chunks.length).toBeGreaterThan(0);
    const verbose = await openai.audio.translations.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ text: WORDS.join(' ') });
  });

  it('reports mistakes the way the SDK raises them: a 400 naming what is wrong, a 401 for a bad key', async () => {
    const missing = await openai.audio.transcriptions
      .create({ file: await file(), model: 'whisper-1', response_format: 'mp4' as never })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect((missing as Error).message).toContain(
      'response_format must be one of json, text, verbose_json, srt, vtt',
    );
    const stranger = new OpenAI({
      baseURL: `${stack.gateways[0]!.url}/v1`,
      apiKey: 'not-a-key-at-all',
      maxRetries: 0,
    });
    const refused = await stranger.audio.transcriptions
      .create({ file: await file(), model: 'whisper-1' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
