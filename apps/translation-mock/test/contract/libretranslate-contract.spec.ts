import { fileURLToPath } from 'node:url';
import {
  createTranslator,
  InvalidRequestError,
  LibreTranslateClient,
  ServiceUnavailableError,
} from '@livetranslate/contracts';
import { APP_ENTRY, startAppProcess, type AppProcess } from '@livetranslate/service-kit/testing';

const entry = fileURLToPath(new URL(`../../${APP_ENTRY}`, import.meta.url));

describe('translation-mock LibreTranslate route, driven through the SDK', () => {
  let mock: AppProcess;
  const fast = { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 50 };

  beforeAll(async () => {
    mock = await startAppProcess(entry);
  });
  afterAll(async () => {
    expect(await mock.stop()).toBe(0);
  });

  it('is what TRANSLATION_SERVICE_BACKEND=libretranslate builds', () => {
    const translator = createTranslator({ backend: 'libretranslate', baseUrl: mock.url, apiKey: 'k' });
    expect(translator).toBeInstanceOf(LibreTranslateClient);
    expect(translator.backend).toBe('libretranslate');
  });

  it('translates with a named or a detected source, and reports health from its language list', async () => {
    const translator = new LibreTranslateClient({ baseUrl: mock.url, resilience: fast });
    expect(await translator.health()).toEqual({ status: 'healthy', languages: 4 });
    expect((await translator.supportedLanguages()).map((l) => l.code)).toEqual(['en', 'es', 'fr', 'de']);
    expect(
      await translator.translate({ text: 'hello friend', sourceLanguage: 'en', targetLanguage: 'es' }),
    ).toMatchObject({
      translatedText: 'hola amigo',
      sourceLanguage: 'en',
      targetLanguage: 'es',
      confidence: 1,
    });
    const detected = await translator.translate({ text: 'hola amigo', targetLanguage: 'en' });
    expect(detected).toMatchObject({
      translatedText: 'hello friend',
      sourceLanguage: 'es',
      backend: 'libretranslate',
    });
    expect(detected.confidence).toBeGreaterThan(0.5);
    // The raw shape a LibreTranslate server answers with.
    const raw = await fetch(`${mock.url}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'hello', source: 'auto', target: 'fr', format: 'text' }),
    });
    expect(await raw.json()).toEqual({
      translatedText: 'salut',
      detectedLanguage: { language: 'en', confidence: 100 },
    });
  });

  it('refuses an unsupported language as LibreTranslate does (400 {"error"}), and retries outages', async () => {
    const translator = new LibreTranslateClient({ baseUrl: mock.url, resilience: fast });
    const refused = translator.translate({ text: 'hello', sourceLanguage: 'en', targetLanguage: 'xx' });
    await expect(refused).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(refused).rejects.toMatchObject({
      message: expect.stringContaining('"xx" is not supported'),
    });
    const missing = await fetch(`${mock.url}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'en', target: 'es' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'Invalid request: missing q parameter' });
    const down = new LibreTranslateClient({
      baseUrl: mock.url,
      headers: { 'x-mock-fail': '503' },
      resilience: fast,
    });
    await expect(down.translate({ text: 'hello', targetLanguage: 'es' })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });
});
