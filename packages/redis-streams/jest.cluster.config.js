import { jestConfig } from '../../jest.config.base.js';

// The transport's integration suite again, on a private Redis Cluster of three masters: every
// guarantee must hold when streams, markers and groups live on different nodes.
export default jestConfig({
  testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
});
