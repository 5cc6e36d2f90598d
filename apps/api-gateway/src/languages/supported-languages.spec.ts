import { ServiceUnavailableError, type SupportedLanguage } from '@livetranslate/contracts';
import type { DownstreamClients } from '@livetranslate/service-kit';
import { SupportedLanguages } from './supported-languages.js';

const MOCK: SupportedLanguage[] = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Spanish' },
  { code: 'pt', name: 'Portuguese' },
];

function harness() {
  const state = { calls: 0, down: false };
  const models = {
    translation: {
      supportedLanguages: async () => {
        state.calls++;
        if (state.down) throw new ServiceUnavailableError('translation', 'http_503', 'down', 503);
        return MOCK;
      },
    },
  } as unknown as DownstreamClients;
  return { languages: new SupportedLanguages(models), state };
}

describe('SupportedLanguages', () => {
  it('passes what the service translates (a region with its base language), asking it once for many checks', async () => {
    const { languages, state } = harness();
    await Promise.all([
      languages.check({ source_language: 'en', target_languages: ['es', 'pt-BR'] }),
      languages.check({ source_language: 'auto', target_languages: ['ES'] }),
      languages.check({}),
    ]);
    expect(state.calls).toBe(1);
  });

  it('refuses what it does not translate with 400 unsupported_language, naming those and the supported ones', async () => {
    const { languages } = harness();
    const refusal = await languages
      .check({ source_language: 'xx', target_languages: ['es', 'tlh'] })
      .catch((e) => e);
    expect(refusal.getStatus()).toBe(400);
    expect(refusal.code).toBe('unsupported_language');
    expect(refusal.details).toEqual({ unsupported: ['xx', 'tlh'], supported: ['en', 'es', 'pt'] });
    expect(refusal.message).toContain('xx, tlh');
  });

  it('answers the last list while the service is down, asking it again a minute later, and lets requests through when it never had one', async () => {
    const cold = harness();
    cold.state.down = true;
    await expect(cold.languages.check({ target_languages: ['tlh'] })).resolves.toBeUndefined();
    await expect(cold.languages.list()).rejects.toMatchObject({ code: 'upstream_unavailable' });

    const warm = harness();
    expect(await warm.languages.list()).toEqual(MOCK);
    warm.state.down = true;
    const later = Date.now() + 120_000; // past the cache
    warm.languages.now = () => later;
    // Stale: answered at once from the last list, refreshed behind it (and not again for a minute).
    expect(await warm.languages.list()).toEqual(MOCK);
    await expect(warm.languages.check({ target_languages: ['tlh'] })).rejects.toMatchObject({
      code: 'unsupported_language',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await warm.languages.list()).toEqual(MOCK);
    expect(warm.state.calls).toBe(2);
  });
});
