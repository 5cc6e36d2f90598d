import { fileURLToPath } from 'node:url';
import {
  encodePcmS16le,
  encodeWav,
  synthesizeWords,
  type SpokenWord,
  type ToneWord,
} from '@livetranslate/audio';
import {
  InvalidAudioError,
  InvalidRequestError,
  OpenAiWhisperClient,
  ServiceTimeoutError,
  ServiceUnavailableError,
  WhisperClient,
  createSpeechToTextClient,
  fetchSend,
  type HttpSend,
} from '@livetranslate/contracts';
import { nodeHttpSend } from '@livetranslate/service-kit';
import {
  APP_ENTRY,
  freePort,
  runAppToExit,
  startAppProcess,
  type AppProcess,
} from '@livetranslate/service-kit/testing';
import OpenAI, { toFile } from 'openai';

const entry = fileURLToPath(new URL(`../../${APP_ENTRY}`, import.meta.url));
const RATE = 16_000;

function wav(words: ReadonlyArray<SpokenWord | ToneWord>, rate = RATE): Buffer {
  return encodeWav([synthesizeWords(words, { sampleRate: rate })], rate);
}

async function requestsSeen(mock: AppProcess, key: string): Promise<number> {
  const body = (await (await fetch(`${mock.url}/mock/requests/${key}`)).json()) as { requests: number };
  return body.requests;
}

// Both ways the SDK sends: fetch (browsers, scripts) and Node's http on keep-alive pools (the apps).
describe.each([
  ['fetch', fetchSend],
  ['node:http', nodeHttpSend],
])('whisper-mock contract, driven through the SDKs (%s)', (_via, send: HttpSend) => {
  let mock: AppProcess;
  const fast = { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 50 };

  beforeAll(async () => {
    mock = await startAppProcess(entry, { MAX_AUDIO_BYTES: '400000' });
  });
  afterAll(async () => {
    expect(await mock.stop()).toBe(0); // SIGTERM drains and exits cleanly
  });

  const client = (headers: Record<string, string> = {}, resilience = {}) =>
    new WhisperClient({ baseUrl: mock.url, headers, resilience: { ...fast, ...resilience }, send });

  it('reports health, models and config, and detects a config change by checksum', async () => {
    const whisper = client();
    expect((await whisper.health()).status).toBe('healthy');
    const models = await whisper.models();
    expect(models.models).toContain('whisper-base');
    const before = await whisper.getConfig();
    const after = await whisper.updateConfig({ beam_size: 3 });
    expect(after.config.beam_size).toBe(3);
    expect(after.checksum).not.toBe(before.checksum);
    expect((await whisper.getConfig()).checksum).toBe(after.checksum);
    await expect(whisper.updateConfig({ beam_size: 99 })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(whisper.updateConfig({ not_a_setting: true })).rejects.toThrow('should not exist');
  });

  it('transcribes the words the audio encodes, with segment times in ms', async () => {
    const result = await client().transcribe({
      audio: wav(['hello', 'world', 'good', 'morning']),
      sessionId: 's-1',
    });
    expect(result.text).toBe('hello world good morning');
    expect(result.language).toBe('en');
    expect(result.model).toBe('whisper-base');
    expect(result.segments.map((s) => s.text)).toEqual(['hello', 'world', 'good', 'morning']);
    // synthesizeWords: 200 ms lead, 300 ms words, 200 ms gaps.
    result.segments.forEach((segment, i) => {
      expect(Math.abs(segment.startMs - (200 + i * 500))).toBeLessThanOrEqual(20);
      expect(Math.abs(segment.endMs - (500 + i * 500))).toBeLessThanOrEqual(20);
      expect(segment.confidence).toBeGreaterThan(0.8);
    });
  });

  it('reads every WAV variant and raw PCM with a declared rate', async () => {
    const samples = synthesizeWords(['yes', 'please'], { sampleRate: 22_050 });
    const whisper = client();
    for (const options of [
      { bits: 8 as const },
      { bits: 24 as const },
      { bits: 32 as const },
      { float: true },
    ]) {
      const result = await whisper.transcribe({ audio: encodeWav([samples], 22_050, options) });
      expect(result.text).toBe('yes please');
    }
    const pcm = encodePcmS16le(synthesizeWords(['two', 'three'], { sampleRate: RATE }));
    const raw = await whisper.transcribe({
      audio: pcm,
      contentType: 'application/octet-stream',
      sampleRate: RATE,
    });
    expect(raw.text).toBe('two three');
  });

  it('names a speaker per channel, or per tone voice, with diarization on', async () => {
    const left = synthesizeWords(['hello', 'friend'], { sampleRate: RATE, leadingSilenceMs: 100 });
    const right = synthesizeWords(['thank', 'you'], { sampleRate: RATE, leadingSilenceMs: 350 });
    const length = Math.max(left.length, right.length);
    const pad = (a: Float32Array) => Float32Array.from({ length }, (_, i) => a[i] ?? 0);
    const stereo = await client().transcribe({
      audio: encodeWav([pad(left), pad(right)], RATE),
      enableDiarization: true,
    });
    expect(stereo.segments.map((s) => `${s.speaker}:${s.text}`)).toEqual([
      'SPEAKER_00:hello',
      'SPEAKER_01:thank',
      'SPEAKER_00:friend',
      'SPEAKER_01:you',
    ]);
    const voices = await client().transcribe({
      audio: wav([{ word: 'yes' }, { word: 'no', voice: 1 }]),
      enableDiarization: true,
    });
    expect(voices.segments.map((s) => s.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    const mixed = await client().transcribe({ audio: wav([{ word: 'yes' }, { word: 'no', voice: 1 }]) });
    expect(mixed.segments.every((s) => s.speaker === undefined)).toBe(true);
  });

  it('gives silence an empty transcript', async () => {
    const result = await client().transcribe({ audio: encodeWav([new Float32Array(RATE)], RATE) });
    expect(result).toMatchObject({ text: '', segments: [], confidence: 0 });
  });

  it('refuses bad audio with typed errors and says why', async () => {
    const whisper = client();
    await expect(whisper.transcribe({ audio: Buffer.from('definitely not audio') })).rejects.toMatchObject({
      constructor: InvalidAudioError,
      status: 400,
      message: expect.stringContaining('not a WAV file'),
    });
    const truncated = wav(['hello']).subarray(0, 2000);
    await expect(whisper.transcribe({ audio: truncated })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_audio',
    });
    const mp3InWav = wav(['hello']);
    mp3InWav.writeUInt16LE(0x55, 20);
    await expect(whisper.transcribe({ audio: mp3InWav })).rejects.toMatchObject({
      status: 415,
      code: 'unsupported_audio',
    });
    await expect(whisper.transcribe({ audio: Buffer.alloc(0) })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_audio',
    });
    await expect(whisper.transcribe({ audio: wav(['hello']), model: 'gpt-9' })).rejects.toMatchObject({
      constructor: InvalidRequestError,
      code: 'unknown_model',
    });
  });

  it('answers plain HTTP errors as JSON: missing file, wrong type, too large, bad fields', async () => {
    const noFile = new FormData();
    noFile.set('language', 'en');
    let response = await fetch(`${mock.url}/transcribe`, { method: 'POST', body: noFile });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'missing_file' },
      request_id: expect.any(String),
    });

    response = await fetch(`${mock.url}/transcribe`, {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });

    response = await fetch(`${mock.url}/transcribe`, {
      method: 'POST',
      body: Buffer.alloc(500_000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    response = await fetch(`${mock.url}/transcribe?sample_rate=fast`, {
      method: 'POST',
      body: encodePcmS16le(new Float32Array(100)),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_fields', message: expect.stringContaining('sample_rate') },
    });
  });

  it('retries 5xx until it succeeds', async () => {
    const whisper = client({ 'x-mock-fail': '503', 'x-mock-fail-times': '2', 'x-mock-key': 'retry-5xx' });
    expect((await whisper.transcribe({ audio: wav(['one']) })).text).toBe('one');
    expect(await requestsSeen(mock, 'retry-5xx')).toBe(3);
  });

  it('does not retry 4xx', async () => {
    const whisper = client({ 'x-mock-fail': '400', 'x-mock-key': 'no-retry-4xx' });
    await expect(whisper.transcribe({ audio: wav(['one']) })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await requestsSeen(mock, 'no-retry-4xx')).toBe(1);
  });

  it('gives up after its attempts with ServiceUnavailableError', async () => {
    const whisper = client({ 'x-mock-fail': '502', 'x-mock-key': 'always-5xx' });
    await expect(whisper.transcribe({ audio: wav(['one']) })).rejects.toMatchObject({
      constructor: ServiceUnavailableError,
      status: 502,
      retryable: true,
    });
    expect(await requestsSeen(mock, 'always-5xx')).toBe(3);
  });

  it('opens the circuit after repeated failures, fails fast while open, and recovers', async () => {
    const whisper = client(
      { 'x-mock-fail': '503', 'x-mock-fail-times': '2', 'x-mock-key': 'breaker' },
      { maxAttempts: 1, breakerThreshold: 2, breakerHalfOpenAfterMs: 400 },
    );
    for (let i = 0; i < 2; i++)
      await expect(whisper.transcribe({ audio: wav(['one']) })).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    expect(whisper.circuitState).toBe('open');
    await expect(whisper.transcribe({ audio: wav(['one']) })).rejects.toMatchObject({ code: 'circuit_open' });
    expect(await requestsSeen(mock, 'breaker')).toBe(2); // the open circuit sent nothing
    await new Promise((r) => setTimeout(r, 450));
    expect((await whisper.transcribe({ audio: wav(['two']) })).text).toBe('two');
    expect(whisper.circuitState).toBe('closed');
  });

  it('times out slow answers per attempt', async () => {
    const whisper = client(
      { 'x-mock-latency-ms': '1000', 'x-mock-key': 'slow' },
      { timeoutMs: 150, maxAttempts: 2 },
    );
    await expect(whisper.transcribe({ audio: wav(['one']) })).rejects.toBeInstanceOf(ServiceTimeoutError);
    expect(await requestsSeen(mock, 'slow')).toBe(2);
  });

  it('reports an unreachable service as unavailable', async () => {
    const whisper = new WhisperClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      resilience: { ...fast, maxAttempts: 2 },
      send,
    });
    await expect(whisper.health()).rejects.toMatchObject({
      constructor: ServiceUnavailableError,
      code: 'unreachable',
    });
  });

  it('serves the OpenAI-compatible route to the official openai client', async () => {
    const openai = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'not-needed', maxRetries: 0 });
    const file = await toFile(wav(['good', 'morning', 'friend']), 'speech.wav', { type: 'audio/wav' });
    const verbose = await openai.audio.transcriptions.create({
      file,
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    expect(verbose.text).toBe('good morning friend');
    expect(verbose.language).toBe('english');
    expect(verbose.segments?.map((s) => s.text)).toEqual(['good', 'morning', 'friend']);
    const plain = await openai.audio.transcriptions.create({
      file: await toFile(wav(['water']), 'w.wav'),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(String(plain).trim()).toBe('water');
    const json = await openai.audio.transcriptions.create({
      file: await toFile(wav(['house']), 'h.wav'),
      model: 'whisper-1',
    });
    expect(json.text).toBe('house');
  });

  it('serves the SDK’s OpenAI backend, chosen by configuration', async () => {
    const stt = createSpeechToTextClient({
      backend: 'openai',
      baseUrl: mock.url,
      apiKey: 'k',
      resilience: fast,
      send,
    });
    expect(stt).toBeInstanceOf(OpenAiWhisperClient);
    expect((await stt.health()).status).toBe('healthy');
    const result = await stt.transcribe({ audio: wav(['today', 'two']) });
    expect(result).toMatchObject({ text: 'today two', language: 'en' });
    expect(result.segments.map((s) => s.text)).toEqual(['today', 'two']);
    expect(result.segments[0]!.startMs).toBeGreaterThanOrEqual(180);
  });
});

describe('whisper-mock configuration', () => {
  it('fails every contract request at MOCK_FAILURE_RATE=1 but stays healthy', async () => {
    const mock = await startAppProcess(entry, { MOCK_FAILURE_RATE: '1' });
    try {
      const response = await fetch(`${mock.url}/api/models`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: 'injected_failure' } });
      expect((await fetch(`${mock.url}/healthz`)).status).toBe(200);
    } finally {
      await mock.stop();
    }
  });

  it('stops at boot naming a bad variable', async () => {
    const { code, output } = await runAppToExit(entry, { PORT: 'abc', MOCK_FAILURE_RATE: '2' });
    expect(code).toBe(1);
    expect(output).toContain('PORT ("abc")');
    expect(output).toContain('MOCK_FAILURE_RATE ("2")');
  });
});
