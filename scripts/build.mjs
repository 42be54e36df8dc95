// Bundles the server for `npm start`: our TypeScript (with the generated Prisma client) is
// compiled ahead of time into one file, so starting does not transpile and resolve every
// module through tsx's loader hooks, which took most of the start-up time. Packages stay in
// node_modules. The bundle sits two folders down (dist/server/), like the sources in
// src/<folder>/, so the paths they resolve from import.meta.url (public/, prisma/migrations/)
// stay the same.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/server/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
