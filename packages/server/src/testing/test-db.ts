// Test databases: every suite gets a fresh one, on PGlite and on real Postgres.
// Postgres: a new database per suite on WXPUSH_TEST_DATABASE_URL's server, migrated; dropped when
// the suite passes, kept (and named in the output) when it fails, for inspection.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { DbKind } from '../db/db.ts'
import { randomBytes } from 'node:crypto'

export const DB_KINDS: readonly DbKind[] = ['pglite', 'postgres']

export const ADMIN_URL = process.env.WXPUSH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDatabase {
  kind: DbKind
  /** Environment for startWxpush: DATABASE_URL for Postgres, a fresh WXPUSH_DATA_DIR for PGlite. */
  env: Record<string, string>
  dataDir: string
  drop(keep: boolean): Promise<void>
}

export async function createTestDatabase(kind: DbKind, adminUrl: string = ADMIN_URL): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxpush-test-'))
  if (kind === 'pglite') {
    return {
      kind,
      env: { WXPUSH_DATA_DIR: dataDir },
      dataDir,
      async drop(keep) {
        if (!keep) rmSync(dataDir, { recursive: true, force: true })
        else console.log(`kept PGlite test data / 保留测试数据: ${dataDir}`)
      },
    }
  }
  const name = `wxpush_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    kind,
    env: { DATABASE_URL: url.toString(), WXPUSH_DATA_DIR: dataDir },
    dataDir,
    async drop(keep) {
      rmSync(dataDir, { recursive: true, force: true })
      if (keep) {
        console.log(`kept Postgres test database / 保留测试数据库: ${name}`)
        return
      }
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
