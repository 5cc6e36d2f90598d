import { APPS } from './catalogue.js';

// The images workflow's build matrix: each app to build with the port its image EXPOSEs.
//   node --import @swc-node/register/esm-register deploy/src/image-matrix.ts '["api-gateway",…]'
const wanted = JSON.parse(process.argv[2] ?? '[]') as string[];
const unknown = wanted.filter((name) => !APPS.some((a) => a.name === name));
if (unknown.length) {
  console.error(`not in deploy/src/catalogue.ts: ${unknown.join(', ')}`);
  process.exit(1);
}
console.log(
  JSON.stringify(APPS.filter((a) => wanted.includes(a.name)).map((a) => ({ app: a.name, port: a.port }))),
);
