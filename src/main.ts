import { ConfigError, loadConfig } from './config.ts';
import { MigrationError } from './db/migrate.ts';
import { startServer } from './server/server.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const server = await startServer({ config });
  server.logger.info(
    `Visitor Work Orders API on ${server.db.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}: ${server.url} (GraphiQL in a browser)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info(`${signal} received: finishing in-flight requests, then stopping.`);
    try {
      await server.close();
      process.exit(0);
    } catch (err) {
      server.logger.error('Shutdown failed', err);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof MigrationError ? err.message : err);
  process.exit(1);
});
