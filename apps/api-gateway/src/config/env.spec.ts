import { fileURLToPath } from 'node:url';
import {
  declaredVariables,
  documentedVariables,
  EnvValidationError,
  loadEnv,
} from '@livetranslate/service-kit';
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

  it('checks API_KEYS entries under the rules of NODE_ENV, without printing the keys', () => {
    expect(() => loadEnv(GatewayEnv, { API_KEYS: 'lt-dev-key:dev' })).not.toThrow();
    let problems: string[] = [];
    try {
      loadEnv(GatewayEnv, { NODE_ENV: 'production', API_KEYS: 'lt-dev-key:dev' });
    } catch (error) {
      problems = (error as EnvValidationError).problems;
    }
    expect(problems).toEqual([
      'API_KEYS (set, value hidden): API_KEYS entry 1: the development key is refused in production',
    ]);
  });
});
