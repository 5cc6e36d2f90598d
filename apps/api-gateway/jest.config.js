import { jestConfig } from '../../jest.config.base.js';

// The fault suite has its own config (jest.chaos.config.js): `pnpm test:chaos`.
export default jestConfig({
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/test/chaos/'],
});
