export { clusterGlobalSetup as default } from '../../dist/testing/index.js';
