// Forward-only numbered SQL migrations, the same files on Postgres and PGlite.
// All pending files run in one transaction under an advisory lock, so several processes that
// start together apply each file exactly once.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './db.ts'

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))
const MIGRATION_LOCK = 7_201_883_401 // an arbitrary constant shared by every wxpush process

export function listMigrations(): { version: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(MIGRATIONS_DIR + f, 'utf8') }))
}

export async function migrate(db: Db): Promise<{ applied: string[] }> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx)
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx)
    const done = await sql<{ version: string }>`SELECT version FROM schema_migrations`.execute(trx)
    const seen = new Set(done.rows.map((r) => r.version))
    const applied: string[] = []
    for (const m of listMigrations()) {
      if (seen.has(m.version)) continue
      await sql.raw(m.sql).execute(trx)
      await sql`INSERT INTO schema_migrations (version) VALUES (${m.version})`.execute(trx)
      applied.push(m.version)
    }
    return { applied }
  })
}
