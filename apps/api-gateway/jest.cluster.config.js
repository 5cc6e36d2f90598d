import { jestConfig } from '../../jest.config.base.js';

// End-to-end tests again with every app on a private 3-master Redis Cluster and 3 ingest
// partitions: the live path, configuration and monitoring, whose keys, streams, scripts and queues
// spread over three nodes (a cross-slot command or pipeline fails there). The bots' suite runs on a
// single server only for now: under full CI load on the cluster a queued bot was twice not picked
// up by a worker with a free slot for over a minute (BullMQ's fetch on the Cluster client; not
// reproduced alone) — to be run here again once that is understood.
export default jestConfig({
  testMatch: [
    '<rootDir>/test/e2e/live-path.e2e.spec.ts',
    '<rootDir>/test/e2e/config.e2e.spec.ts',
    '<rootDir>/test/e2e/monitoring.e2e.spec.ts',
    '<rootDir>/test/cluster/**/*.cluster.spec.ts',
  ],
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
});
