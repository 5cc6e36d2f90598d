import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { GatewayEnv } from './env.js';

describe('GatewayEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(GatewayEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(GatewayEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
