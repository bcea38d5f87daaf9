// @ts-check
import tseslint from 'typescript-eslint';

/** Concrete adapters: only the composition root (src/main.ts) may import them. */
const concreteAdapters = [
  '**/store/sqlite*',
  '**/store/postgres*',
  '**/providers/*/*',
  '!**/providers/*/types.js',
  '!**/providers/*/registry.js',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/web/dist/**', 'bench/.data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no I/O, no clock reads, no env, nothing outside src/domain.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../../*', '../../../*'], message: 'src/domain imports nothing outside src/domain.' },
          { group: ['node:*', '!node:crypto'], message: 'src/domain does no I/O (node:crypto hashing is allowed).' },
          { group: ['hono', 'hono/*', 'kysely', 'pg', 'better-sqlite3', 'pino', 'undici', 'commander', 'prom-client'], message: 'src/domain does no I/O.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pass configuration in; the domain reads no env.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Time is an argument (now) in the domain.' }],
      'no-restricted-syntax': ['error', {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'Time is an argument (now) in the domain.',
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/domain/**', 'src/**/*.test.ts', 'src/providers/**', 'src/store/**', 'src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: concreteAdapters, message: 'Only src/main.ts imports concrete adapters; depend on the interface.' }],
      }],
    },
  },
);
