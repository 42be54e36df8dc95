import { defineConfig } from 'prisma/config';

// The CLI is used only offline, to generate the client (`prisma generate` needs no engine).
// Every CLI command first fetches a native schema engine unless PRISMA_SCHEMA_ENGINE_BINARY
// names one; ours refuses every command with a pointer to the project's own tools: migration
// SQL is authored by scripts/schema-diff.mjs (`npm run migration:new`) and applied by
// src/db/migrate.ts at start.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= new URL('./scripts/schema-engine-refusal.sh', import.meta.url).pathname;

export default defineConfig({
  schema: 'prisma/schema.prisma',
});
