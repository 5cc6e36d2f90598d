import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderBase } from './render.js';

// Writes deploy/k8s/base and deploy/k8s/components/mocks from the catalogue; the tests fail when the
// files differ from what this writes, so edit the catalogue and run `pnpm --filter @livetranslate/deploy generate`.
const root = fileURLToPath(new URL('../k8s/', import.meta.url));
for (const [path, text] of Object.entries(renderBase())) {
  const file = `${root}${path}`;
  mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote deploy/k8s/${path}`);
}
