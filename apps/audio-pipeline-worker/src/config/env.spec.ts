import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { WorkerEnv } from './env.js';

describe('WorkerEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(WorkerEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(WorkerEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});
