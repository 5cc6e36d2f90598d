import { fileURLToPath } from 'node:url';
import {
  fetchSend,
  InvalidRequestError,
  ServiceUnavailableError,
  TranslationClient,
  type HttpSend,
} from '@livetranslate/contracts';
import { nodeHttpSend } from '@livetranslate/service-kit';
import {
  APP_ENTRY,
  runAppToExit,
  startAppProcess,
  type AppProcess,
} from '@livetranslate/service-kit/testing';

const entry = fileURLToPath(new URL(`../../${APP_ENTRY}`, import.meta.url));

async function requestsSeen(mock: AppProcess, key: string): Promise<number> {
  return ((await (await fetch(`${mock.url}/mock/requests/${key}`)).json()) as { requests: number }).requests;
}

// Both ways the SDK sends: fetch (browsers, scripts) and Node's http on keep-alive pools (the apps).
describe.each([
  ['fetch', fetchSend],
  ['node:http', nodeHttpSend],
])('translation-mock contract, driven through the SDK (%s)', (_via, send: HttpSend) => {
  let mock: AppProcess;
  const fast = { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 50 };
  const client = (headers: Record<string, string> = {}, resilience = {}) =>
    new TranslationClient({ baseUrl: mock.url, headers, resilience: { ...fast, ...resilience }, send });

  beforeAll(async () => {
    mock = await startAppProcess(entry);
  });
  afterAll(async () => {
    expect(await mock.stop()).toBe(0);
  });

  it('reports health, languages and config', async () => {
    const translation = client();
    expect((await translation.health()).status).toBe('healthy');
    expect((await translation.languages()).languages.map((l) => l.code)).toEqual(['en', 'es', 'fr', 'de']);
    expect(await translation.supportedLanguages()).toContainEqual({ code: 'es', name: 'Spanish' });
    const before = await translation.getConfig();
    const after = await translation.updateConfig({ max_tokens: 256 });
    expect(after.config.max_tokens).toBe(256);
    expect(after.checksum).not.toBe(before.checksum);
    await expect(translation.updateConfig({ max_tokens: 'lots' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it.each([
    ['es', 'Hola mundo'],
    ['fr', 'Salut monde'],
    ['de', 'Hallo Welt'],
  ])('translates the alphabet words into %s', async (target, expected) => {
    const result = await client().translate({
      text: 'Hello world',
      sourceLanguage: 'en',
      targetLanguage: target,
    });
    expect(result).toMatchObject({
      translatedText: expected,
      sourceLanguage: 'en',
      targetLanguage: target,
      confidence: 1,
    });
    expect(result.backend).toBe('mock-dictionary');
  });

  it('translates phrases as phrases, keeps punctuation and marks unknown words', async () => {
    const result = await client().translate({
      text: 'Good morning, my friend! Thank you.',
      targetLanguage: 'de',
    });
    expect(result.translatedText).toBe('Guten Morgen, [my] Freund! Danke.');
    expect(result.sourceLanguage).toBe('en');
    expect(result.confidence).toBeCloseTo(5 / 6, 2);
  });

  it('translates back into English and between other languages', async () => {
    expect(
      (await client().translate({ text: 'buenos días amigo', sourceLanguage: 'es', targetLanguage: 'en' }))
        .translatedText,
    ).toBe('good morning friend');
    expect(
      (await client().translate({ text: 'merci', sourceLanguage: 'auto', targetLanguage: 'es' }))
        .translatedText,
    ).toBe('gracias');
  });

  it('detects the language', async () => {
    expect(await client().detect('danke Freund')).toEqual({ language: 'de', confidence: 1 });
  });

  it('says which field is wrong', async () => {
    await expect(client().translate({ text: 'hello', targetLanguage: 'xx' })).rejects.toMatchObject({
      constructor: InvalidRequestError,
      status: 400,
      code: 'unsupported_language',
      message: expect.stringContaining('target_language "xx"'),
    });
    await expect(
      client().translate({ text: 'hello', sourceLanguage: 'kl', targetLanguage: 'es' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('source_language "kl"'),
    });
    await expect(client().translate({ text: '', targetLanguage: 'es' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('text should not be empty'),
    });
    const malformed = await fetch(`${mock.url}/api/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": "hello", ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { message: expect.stringContaining('JSON') } });
    const missing = await fetch(`${mock.url}/api/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello' }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { details: string[] } }).error.details).toContain(
      'target_language should not be empty',
    );
  });

  it('retries 5xx and not 4xx; opens and recovers its circuit', async () => {
    const flaky = client({ 'x-mock-fail': '500', 'x-mock-fail-times': '2', 'x-mock-key': 't-retry' });
    expect((await flaky.translate({ text: 'yes', targetLanguage: 'fr' })).translatedText).toBe('oui');
    expect(await requestsSeen(mock, 't-retry')).toBe(3);

    // A failure after every retry carries the number of requests really sent.
    const down = client(
      { 'x-mock-fail': '503', 'x-mock-key': 't-down' },
      { maxAttempts: 3, backoffInitialMs: 1 },
    );
    await expect(down.translate({ text: 'yes', targetLanguage: 'fr' })).rejects.toMatchObject({
      attempts: 3,
    });
    expect(await requestsSeen(mock, 't-down')).toBe(3);

    const refused = client({ 'x-mock-fail': '422', 'x-mock-key': 't-4xx' });
    await expect(refused.translate({ text: 'yes', targetLanguage: 'fr' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(await requestsSeen(mock, 't-4xx')).toBe(1);
    await expect(refused.translate({ text: 'yes', targetLanguage: 'fr' })).rejects.toMatchObject({
      attempts: 1,
    });

    const breaker = client(
      { 'x-mock-fail': '503', 'x-mock-fail-times': '3', 'x-mock-key': 't-breaker' },
      { maxAttempts: 1, breakerThreshold: 3, breakerHalfOpenAfterMs: 300 },
    );
    for (let i = 0; i < 3; i++)
      await expect(breaker.translate({ text: 'no', targetLanguage: 'de' })).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    // An open circuit sent nothing, and its error says so.
    await expect(breaker.translate({ text: 'no', targetLanguage: 'de' })).rejects.toMatchObject({
      code: 'circuit_open',
      attempts: 0,
    });
    expect(await requestsSeen(mock, 't-breaker')).toBe(3);
    await new Promise((r) => setTimeout(r, 350));
    expect((await breaker.translate({ text: 'no', targetLanguage: 'de' })).translatedText).toBe('nein');
  });

  it('adds MOCK_LATENCY_MS to contract routes only', async () => {
    const slow = await startAppProcess(entry, { MOCK_LATENCY_MS: '1500' });
    try {
      let started = performance.now();
      await new TranslationClient({ baseUrl: slow.url, send }).languages();
      expect(performance.now() - started).toBeGreaterThanOrEqual(1490);
      started = performance.now();
      await fetch(`${slow.url}/healthz`);
      expect(performance.now() - started).toBeLessThan(1000); // health is exempt from injected latency
    } finally {
      await slow.stop();
    }
  });

  it('stops at boot naming a bad variable', async () => {
    const { code, output } = await runAppToExit(entry, { MOCK_LATENCY_MS: '-5' });
    expect(code).toBe(1);
    expect(output).toContain('MOCK_LATENCY_MS ("-5")');
  });
});
