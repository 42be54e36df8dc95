// Authors a migration offline: diffs the schema the last migration was made from
// (prisma/migrations/schema.snapshot.prisma) against prisma/schema.prisma and writes the
// SQL to prisma/migrations/<timestamp>_<name>/migration.sql.
// Usage: npm run migration:new -- <name>
import { existsSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { diffSchemas, EMPTY_MIGRATION } from './schema-diff.mjs';

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('Give the migration a snake_case name: npm run migration:new -- add_visit_badges');
  process.exit(2);
}
const snapshot = 'prisma/migrations/schema.snapshot.prisma';
let sql;
try {
  sql = await diffSchemas(existsSync(snapshot) ? snapshot : null, 'prisma/schema.prisma');
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
if (sql.trim() === EMPTY_MIGRATION) {
  console.error('prisma/schema.prisma has no changes since the last migration.');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `prisma/migrations/${stamp}_${name}`;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/migration.sql`, sql);
copyFileSync('prisma/schema.prisma', snapshot);
console.log(`wrote ${dir}/migration.sql`);
