// ESLint (flat config) with typescript-eslint: its recommended rules everywhere, the type-aware
// rules that catch a promise nobody waits for or handles, and no import cycles in src/.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'src/generated/', 'test/generated/', 'node_modules/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Modules depend on each other one way: a type file that needs another's field attaches it
    // from the owning module (builder.prismaObjectField) instead of importing back.
    files: ['src/**/*.ts'],
    ignores: ['src/generated/**'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ignores: ['public/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // The desk display: plain browser scripts; graphql-ws comes from its own script tag.
    files: ['public/**/*.js'],
    languageOptions: { globals: { ...globals.browser, graphqlWs: 'readonly' } },
  },
  {
    // Tests and benchmarks read GraphQL answers of every shape as plain JSON.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
