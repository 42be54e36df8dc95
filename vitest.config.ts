import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The server's libraries load graphql's CommonJS build under Node; test code must use
    // the same copy, or graphql-js rejects schema objects from "another module".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-bundle.ts'],
    // Each file starts its own servers and databases; two cores, two files at a time.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
