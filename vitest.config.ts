import { defineConfig } from 'vitest/config'

// 2 cores: keep parallelism modest. Postgres-backed suites each get their own database.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Limits sized for a loaded 2-core machine: at least 3× a test's time alone. Every test measured
    // alone under 20 s fits the default; the slower ones set their own limit next to the test.
    testTimeout: 60_000,
    // Starting a stack (a fresh database, migrations, wxpush, the simulator) under load.
    hookTimeout: 180_000,
  },
})
