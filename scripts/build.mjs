// Bundles the server for `npm start`: our TypeScript (with the generated Prisma client) and most
// packages it imports are compiled ahead of time into one file, so starting does not resolve,
// read and link hundreds of modules one by one (that took half of the start-up). Packages that
// load files of their own at run time (WebAssembly, data files, the GraphiQL page), drive a
// database, or are CommonJS on every request's path stay in node_modules. The bundle sits two
// folders down (dist/server/), like the sources in src/<folder>/, so the paths they resolve
// from import.meta.url (public/, prisma/migrations/) stay the same.
import { build } from 'esbuild';

const IN_NODE_MODULES = [
  '@electric-sql/pglite',
  'pglite-prisma-adapter',
  '@prisma/client',
  '@prisma/client/*',
  '@prisma/adapter-pg',
  'pg',
  'ioredis',
  '@graphql-yoga/render-graphiql',
  // CommonJS packages on every request's path: bundled, each use of their exports would go
  // through esbuild's interop getters (graphql's alone were 7% of a desk read's CPU); Node
  // gives an ES module direct bindings to them.
  'graphql',
  'dataloader',
  '@whatwg-node/fetch',
];

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/server/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: IN_NODE_MODULES,
  // Bundled CommonJS packages require Node's built-in modules; an ES module has no `require`.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  sourcemap: true,
  // Stack traces need the mappings only.
  sourcesContent: false,
  logLevel: 'warning',
});
