// npx tsx bench/test-db-setup.ts [--n 5]
// What one test suite pays for its database before its first test: migrating a fresh database from
// scratch (how every suite started before the templates) against copying the migrated template
// (createTestDatabase: Postgres CREATE DATABASE … TEMPLATE, a PGlite data folder copy). Each run
// ends with the database opened, as a suite would use it.
import { performance } from 'node:perf_hooks'
import { openDb } from '../packages/server/src/db/db.ts'
import { migrate } from '../packages/server/src/db/migrate.ts'
import { createTestDatabase } from '../packages/server/src/testing/test-db.ts'
import { arg, freshDb, machine, writeResult } from './bench.support.ts'

const N = Number(arg('n', '5'))
const KINDS = ['postgres', 'pglite'] as const

async function time(run: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

const results: Record<string, { fromScratchMs: number; fromTemplateMs: number }> = {}
for (const kind of KINDS) {
  // The first template copy builds the template: done once before timing.
  await (await createTestDatabase(kind)).drop(false)
  const scratch: number[] = []
  const template: number[] = []
  for (let i = 0; i < N; i++) {
    scratch.push(
      await time(async () => {
        const db = await freshDb(kind)
        const h = await openDb({
          databaseUrl: db.env.DATABASE_URL,
          dataDir: `${db.env.WXPUSH_DATA_DIR}/pglite`,
        })
        await migrate(h.db)
        await h.close()
        await db.drop()
      }),
    )
    template.push(
      await time(async () => {
        const db = await createTestDatabase(kind)
        const h = await openDb({ databaseUrl: db.env.DATABASE_URL, dataDir: `${db.dataDir}/pglite` })
        await migrate(h.db) // a no-op on a copy: what startWxpush does on every start
        await h.close()
        await db.drop(false)
      }),
    )
  }
  results[kind] = { fromScratchMs: Math.round(median(scratch)), fromTemplateMs: Math.round(median(template)) }
  console.log(
    `${kind}: from scratch ${results[kind].fromScratchMs} ms, from the template ${results[kind].fromTemplateMs} ms (median of ${N})`,
  )
}
console.log(
  `wrote ${writeResult('test-db-setup.json', { at: new Date().toISOString(), machine: machine(), runs: N, results })}`,
)
