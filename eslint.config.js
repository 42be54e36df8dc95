// ESLint (flat config) with typescript-eslint: its recommended rules everywhere, plus the
// type-aware rules that catch a promise nobody waits for or handles.
import js from '@eslint/js';
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
