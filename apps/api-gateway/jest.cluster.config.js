import { jestConfig } from '../../jest.config.base.js';

// The live path's end-to-end tests again, with every app on a private 3-master Redis Cluster:
// session logs, live fan-out partitions, ingest and queues spread over three nodes.
export default jestConfig({
  testMatch: ['<rootDir>/test/e2e/live-path.e2e.spec.ts', '<rootDir>/test/cluster/**/*.cluster.spec.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
});
