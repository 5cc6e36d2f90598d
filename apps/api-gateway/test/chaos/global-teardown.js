import { print } from './report.js';
export default () => print();
