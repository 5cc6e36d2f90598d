import { jestConfig } from '../../jest.config.base.js';

// End-to-end tests again with every app on a private 3-master Redis Cluster and 3 ingest
// partitions: the live path, bots (BullMQ's queues and stalled-job recovery), configuration and
// monitoring, whose keys, streams, scripts and queues spread over three nodes (a cross-slot command
// or pipeline fails there, and commands on different nodes finish in any order).
export default jestConfig({
  testMatch: [
    '<rootDir>/test/e2e/live-path.e2e.spec.ts',
    '<rootDir>/test/e2e/bots.e2e.spec.ts',
    '<rootDir>/test/e2e/config.e2e.spec.ts',
    '<rootDir>/test/e2e/monitoring.e2e.spec.ts',
    '<rootDir>/test/cluster/**/*.cluster.spec.ts',
  ],
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
});
