import { speechWav } from './support/audio-fixtures.js';
import { Stack, TENANT_A_KEY } from './support/stack.js';

describe('languages at the door (real processes)', () => {
  let stack: Stack;
  let api: (path: string, init?: RequestInit) => Promise<Response>;
  beforeAll(async () => {
    stack = await Stack.start();
    api = (path, init = {}) =>
      fetch(`${stack.gateways[0]!.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TENANT_A_KEY}`, ...(init.headers ?? {}) },
      });
  });
  afterAll(() => stack?.stop());

  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  it('GET /api/languages lists what the translation service translates, and the limit per session', async () => {
    const response = await api('/api/languages');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      languages: Array<{ code: string }>;
      max_target_languages: number;
    };
    expect(body.languages.map((l) => l.code)).toEqual(['en', 'es', 'fr', 'de']);
    expect(body.max_target_languages).toBe(8);
    const openapi = (await (await api('/docs/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { maxItems?: number }> }> };
    };
    expect(openapi.components.schemas.CreateSessionDto!.properties.target_languages!.maxItems).toBe(8);
  });

  it('a session, an upload or a bot asking for a language the service lacks is a 400 before anything is made', async () => {
    const session = await api(
      '/api/sessions',
      json({ source_language: 'en', target_languages: ['es', 'tlh'] }),
    );
    expect(session.status).toBe(400);
    expect(await session.json()).toMatchObject({
      error: { code: 'unsupported_language', details: { unsupported: ['tlh'] } },
    });
    expect((await api('/api/sessions', json({ source_language: 'xx' }))).status).toBe(400);

    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(speechWav(['hello']))], { type: 'audio/wav' }), 'a.wav');
    form.set('target_languages', 'es,tlh');
    const upload = await api('/api/audio/upload', { method: 'POST', body: form });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('unsupported_language');

    const bot = await api(
      '/api/bots',
      json({ meeting_url: 'sim://m?words=hello', platform: 'simulated', target_languages: ['tlh'] }),
    );
    expect(bot.status).toBe(400);
    expect(((await bot.json()) as { error: { code: string } }).error.code).toBe('unsupported_language');
    expect(((await (await api('/api/bots')).json()) as { bots: unknown[] }).bots).toEqual([]);
  });

  it('takes target_languages on uploads, and the older languages field as an alias', async () => {
    for (const field of ['target_languages', 'languages']) {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(speechWav(['hello']))], { type: 'audio/wav' }), 'a.wav');
      form.set(field, 'es,fr');
      const upload = await api('/api/audio/upload', { method: 'POST', body: form });
      expect(upload.status).toBe(202); // accepted: transcribed in the background
      expect(
        ((await upload.json()) as { options: { target_languages: string[] } }).options.target_languages,
      ).toEqual(['es', 'fr']);
    }
  });

  it('more than 8 target languages is a 400 naming the limit', async () => {
    const response = await api(
      '/api/sessions',
      json({ target_languages: ['es', 'fr', 'de', 'en', 'es-MX', 'fr-CA', 'de-AT', 'en-GB', 'en-US'] }),
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(
      'target_languages must contain no more than 8 elements',
    );
  });
});
