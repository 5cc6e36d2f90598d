import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { TranslationMockEnv } from './env.js';

describe('TranslationMockEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(TranslationMockEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(TranslationMockEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
