export { clusterGlobalTeardown as default } from '../../dist/testing/index.js';
