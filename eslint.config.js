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
)
