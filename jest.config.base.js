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
    // A limit, never a timing assertion: above the longest start-up wait of a loaded machine
    // (`startupTimeoutMs` in service-kit's testing helpers grows with the load, up to 4 minutes).
    testTimeout: 300_000,
    ...overrides,
  };
}
