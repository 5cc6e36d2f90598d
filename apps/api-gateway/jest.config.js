import { jestConfig } from '../../jest.config.base.js';

// The fault suite and the cluster suite have their own configs (jest.chaos.config.js,
// jest.cluster.config.js): `pnpm test:chaos`, `pnpm test:cluster`.
export default jestConfig({
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/test/chaos/', '/test/cluster/'],
});
