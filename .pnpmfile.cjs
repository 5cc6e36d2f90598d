// @nestjs/swagger names TypeScript as a peer only for its compiler plugin, which this project does
// not use (apps are built with plain tsc). Left in, pnpm resolves it from the root's dev tools and
// every production bundle carries TypeScript (~23 MB) it never loads.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === '@nestjs/swagger' && pkg.peerDependencies) {
        delete pkg.peerDependencies.typescript;
        if (pkg.peerDependenciesMeta) delete pkg.peerDependenciesMeta.typescript;
      }
      return pkg;
    },
  },
};
