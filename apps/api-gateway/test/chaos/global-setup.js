import { reset } from './report.js';
export default () => reset();
