import { jestConfig } from '../../jest.config.base.js';

// The fault suite: real processes, faults injected, a table of figures printed at the end.
export default jestConfig({
  testMatch: ['<rootDir>/test/chaos/**/*.chaos.spec.ts'],
  globalSetup: '<rootDir>/test/chaos/global-setup.js',
  globalTeardown: '<rootDir>/test/chaos/global-teardown.js',
});
