// Opens the one database wxpush keeps everything in: Postgres through `pg` when a URL is given,
// otherwise PGlite (Postgres in WASM) in a folder on disk. Same SQL, same migrations.
import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './db.schema.ts'
import { createPglitePool } from './pglite.pool.ts'

export type DbKind = 'postgres' | 'pglite'
export type Db = Kysely<Database>

export interface DbHandle {
  db: Db
  kind: DbKind
  close(): Promise<void>
}

// timestamptz stays a Date, int8/numeric come back as strings (never silently rounded), jsonb is parsed.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v)

export async function openDb(opts: {
  databaseUrl?: string | undefined
  dataDir?: string | undefined
  poolSize?: number
}): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // A dropped server connection must not crash the process; the next query reconnects.
      allowExitOnIdle: false,
    })
    // pg-pool listens for errors only on idle clients. A connection that dies while Kysely holds
    // it (a restart mid-transaction) would emit an unhandled 'error' and crash the process; the
    // query in progress fails on its own and the broken client is dropped when released.
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true })
  const pglite = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {})
  const pool = createPglitePool(pglite)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: async () => pool as never }) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}
