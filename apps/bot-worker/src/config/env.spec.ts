import { fileURLToPath } from 'node:url';
import { declaredVariables, documentedVariables, loadEnv } from '@livetranslate/service-kit';
import { BotWorkerEnv, enabledDrivers } from './env.js';

describe('BotWorkerEnv', () => {
  it('boots on defaults alone', () => {
    expect(() => loadEnv(BotWorkerEnv, {})).not.toThrow();
  });

  it('reads only variables env.template documents', () => {
    const documented = documentedVariables(
      fileURLToPath(new URL('../../../../env.template', import.meta.url)),
    );
    expect(declaredVariables(BotWorkerEnv).filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('enabledDrivers', () => {
  it('enables the simulated driver outside production only, unless BOT_DRIVERS says otherwise', () => {
    expect(enabledDrivers(loadEnv(BotWorkerEnv, {}))).toEqual(['simulated', 'browser']);
    expect(enabledDrivers(loadEnv(BotWorkerEnv, { NODE_ENV: 'production' }))).toEqual(['browser']);
    expect(
      enabledDrivers(loadEnv(BotWorkerEnv, { NODE_ENV: 'production', BOT_DRIVERS: 'simulated' })),
    ).toEqual(['simulated']);
  });
});
