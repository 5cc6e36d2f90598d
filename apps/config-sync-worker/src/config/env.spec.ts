import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { ConfigSyncEnv } from './env.js';

describe('ConfigSyncEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(ConfigSyncEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(ConfigSyncEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
