import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { WhisperMockEnv } from './env.js';

describe('WhisperMockEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(WhisperMockEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(WhisperMockEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
