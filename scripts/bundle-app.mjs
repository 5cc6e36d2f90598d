// Bundles an app's compiled entry (dist/main.js, from tsc) with the workspace packages and the
// dependencies it reaches into one file, dist/main.bundle.js, which is what the images and the
// test suites start. Why: Node resolves, stats, reads and compiles each module file of its own, and
// an app reaches about 2,700 of them; on a machine where each system call is dear (the development
// machine's paravirtualised guest) that made an app's start cost 2.3–5 s of CPU, where the bundle
// costs about half (`pnpm bench:startup`). A faster start is a faster scale-out and a faster test suite.
//
//   node ../../scripts/bundle-app.mjs   (from an app's directory, after tsc; `pnpm build` runs it)
//
// Left outside the bundle, loaded from node_modules at run time:
// - imports that do not resolve: the optional peers Nest and others try inside a try/catch;
// - playwright-core, which reads its own files next to its code;
// - native addons (*.node);
// - what a dependency loads through its own createRequire(import.meta.url), which in a bundle
//   resolves from the app (the gateway depends on swagger-ui-dist directly for that reason).
// Source maps chain through tsc's, so `--enable-source-maps` traces point at src/*.ts.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const EXTERNAL = ['playwright-core'];

/** An import that does not resolve stays an import: the code around it expects it may be missing. */
const optionalImports = {
  name: 'optional-imports',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await bundler.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      return resolved.errors.length ? { path: args.path, external: true } : resolved;
    });
  },
};

const name = JSON.parse(readFileSync('package.json', 'utf8')).name;
const started = performance.now();
const result = await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.bundle.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...EXTERNAL, '*.node'],
  plugins: [optionalImports],
  // No keepNames: it wraps functions in __name() calls, and functions the bot-worker hands to the
  // meeting page (page.evaluate, addInitScript) travel as their source text, where __name is
  // undefined. Only a few third-party classes get renamed on a clash (none of ours).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module still find require, __filename and __dirname.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { fileURLToPath as __bundlePath } from 'node:url';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundlePath(import.meta.url);',
      "const __dirname = __bundlePath(new URL('.', import.meta.url));",
    ].join(' '),
  },
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `${name}: dist/main.bundle.js from ${inputs} modules, ${(bytes / 1e6).toFixed(1)} MB with its map, ` +
    `${Math.round(performance.now() - started)} ms`,
);
