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
    // Generous: a busy two-core machine starts processes slowly; a limit, never a timing assertion.
    testTimeout: 120_000,
    ...overrides,
  };
}
