// The SQL that turns one Prisma schema into another, offline: Prisma's own WebAssembly schema
// engine (@prisma/schema-engine-wasm, the build inside the prisma CLI of the same version),
// called directly, over an in-memory PGlite. The 7.x CLI only runs a native engine, which it
// would download; this needs neither. Re-check the output on every Prisma upgrade: the engine
// package is internal to Prisma.
//
// As a command: node scripts/schema-diff.mjs <from.prisma | --empty> <to.prisma>
// prints the SQL (an unchanged schema gives "-- This is an empty migration."); any failure
// exits 1 with the engine's message, never with empty output.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export const EMPTY_MIGRATION = '-- This is an empty migration.';

const require = createRequire(import.meta.url);

/** The engine, instantiated by hand: its package entry imports a .wasm file, which Node 20 cannot. */
async function loadSchemaEngine() {
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import(pathToFileURL(gluePath).href);
  const module = new WebAssembly.Module(await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue.SchemaEngine;
}

const target = (file) =>
  file === null
    ? { tag: 'empty' }
    : readFile(file, 'utf8').then((content) => ({ tag: 'schemaDatamodel', files: [{ path: resolve(file), content }] }));

/** The migration SQL from `fromFile` (null: an empty database) to `toFile`. Throws on any failure. */
export async function diffSchemas(fromFile, toFile) {
  const [from, to] = await Promise.all([target(fromFile), target(toFile)]);
  const SchemaEngine = await loadSchemaEngine();
  // The engine asks the database for its version even to compare two schema files.
  const pglite = new PGlite();
  const logs = [];
  // bind…() gives the adapter the error registry and result shape the engine expects.
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
  const engine = await SchemaEngine.new({ datamodels: undefined }, (line) => logs.push(line), adapter);
  try {
    const result = await engine.diff({
      from,
      to,
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result?.stdout;
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new Error(`The schema engine returned no SQL (${JSON.stringify(result)}).\n${logs.join('\n')}`);
    }
    return sql;
  } catch (err) {
    throw new Error(`prisma schema diff failed: ${err?.code ? `${err.code}: ` : ''}${err?.message ?? err}`, { cause: err });
  } finally {
    engine.free();
    await pglite.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [from, to, ...rest] = process.argv.slice(2);
  if (!from || !to || rest.length > 0) {
    console.error('Usage: node scripts/schema-diff.mjs <from.prisma | --empty> <to.prisma>');
    process.exit(2);
  }
  diffSchemas(from === '--empty' ? null : from, to).then(
    (sql) => process.stdout.write(sql),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
