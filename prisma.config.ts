import { defineConfig } from 'prisma/config';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

// The CLI is used only offline: to generate the client and to author migration SQL
// (`npm run migration:new`). Migrations are applied by src/db/migrate.ts at start.
// The datasource needs a syntactically valid URL to validate; with an adapter its value
// is never used.
process.env.DATABASE_URL ??= 'postgresql://localhost/unused';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  // Typed against an older @prisma/driver-adapter-utils; the wire contract is the same.
  adapter: async () => new PrismaPGlite(new PGlite()) as unknown as SqlMigrationAwareDriverAdapterFactory,
});
