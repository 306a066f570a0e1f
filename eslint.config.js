// One lint setup for every package. Typed rules matter most in queue and worker code.
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/miniprogram_dist/**',
      'examples/miniprogram/**',
      '.wxpush/**',
      'bench/results/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Habit 2: the protocol and simulator packages know nothing of the server, and the simulator
    // does not run the wechat package's validators or crypto (it shares facts only).
    files: ['packages/wechat/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@wxpush/server*', '@wxpush/simulator*', '../../server/*'] },
      ],
    },
  },
  {
    files: ['packages/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@wxpush/server*'], message: 'The simulator must not depend on the server.' },
            {
              regex: '^@wxpush/wechat(?!/facts$)',
              message:
                'Share facts only (@wxpush/wechat/facts); the simulator implements its own rules and crypto.',
            },
          ],
        },
      ],
    },
  },
  {
    // Server boundaries. A store holds SQL only: it imports db/ (and ids.ts, and its own domain's SQL
    // fragments), never a service, route or another domain. Errors are defined in *.errors.ts only,
    // where errors.catalogue.ts lists them.
    files: ['packages/server/src/**/*.store.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!db/|ids\\.ts$)',
              // a type (the row shape another store hands on) adds no coupling at run time
              allowTypeImports: true,
              message: 'A store imports only db/ (and ids.ts): it takes the db per call and holds SQL only.',
            },
            { regex: '^@wxpush/', message: 'A store holds SQL only.' },
          ],
        },
      ],
    },
  },
  {
    // No domain imports another domain's store (a type, for what the composition root hands in, is
    // fine); the composition roots (services.ts, cli/, testing/) and tests build stores.
    files: ['packages/server/src/**/*.ts'],
    ignores: [
      'packages/server/src/services.ts',
      'packages/server/src/cli/**',
      'packages/server/src/testing/**',
      '**/*.test.ts',
      '**/*.store.ts', // the rule above is stricter
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[a-z]+/[a-z]+\\.store\\.ts$',
              allowTypeImports: true,
              message:
                "Another domain's store is not yours to call: ask that domain's service, or take it from services.ts.",
            },
            {
              group: ['**/errors.ts'],
              importNames: ['defineError'],
              message: 'Define errors in a *.errors.ts (and list it in errors.catalogue.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.errors.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
)
