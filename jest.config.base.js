// The one jest setup every package uses: swc in ESM mode, `.js` relative imports mapped back to
// their TypeScript sources. Run with NODE_OPTIONS=--experimental-vm-modules (the package scripts do).
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

import { cpus, loadavg } from 'node:os';

/** 1 on an idle machine, up to 4 on a busy one (load average per core): limits grow with the load. */
const busy = Math.min(4, Math.max(1, loadavg()[0] / Math.max(1, cpus().length)));

/** @param {Partial<import('jest').Config>} overrides */
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    setupFiles: ['reflect-metadata'],
    // Generous, and more so when the machine is busy (processes start slowly on two loaded cores);
    // a limit, never a timing assertion.
    testTimeout: Math.round(120_000 * busy) + 60_000,
    ...overrides,
  };
}
