// Test databases: every suite gets a fresh one, on PGlite and on real Postgres, already migrated.
// A suite does not migrate from scratch: the migrated schema is built once per set of migrations
// (named by their hash) and copied.
//   Postgres  a template database wxpush_tpl_<hash>, built once on the server under an advisory
//             lock; each suite's database is CREATE DATABASE … TEMPLATE it. Dropped when the suite
//             passes, kept (and named in the output) when it fails, for inspection.
//   PGlite    a migrated data folder in the temp folder, built once; each suite gets a copy.
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDb, type DbKind } from '../db/db.ts'
import { listMigrations, migrate } from '../db/migrate.ts'

export const DB_KINDS: readonly DbKind[] = ['pglite', 'postgres']

export const ADMIN_URL = process.env.WXPUSH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDatabase {
  kind: DbKind
  /** Environment for startWxpush: DATABASE_URL for Postgres, a fresh WXPUSH_DATA_DIR for PGlite. */
  env: Record<string, string>
  dataDir: string
  drop(keep: boolean): Promise<void>
}

/** Names the migrated schema: a new or changed migration file makes a new template. */
const SCHEMA_HASH = createHash('sha256')
  .update(
    listMigrations()
      .map((m) => `${m.version}\n${m.sql}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12)

const TEMPLATE_LOCK = 7_201_883_402 // an arbitrary constant: one builder of a template at a time

function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** The migrated template database on this server, built by the first suite that needs it. */
async function ensurePostgresTemplate(admin: pg.Client, adminUrl: string): Promise<string> {
  const name = `wxpush_tpl_${SCHEMA_HASH}`
  const exists = async () =>
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
  if (await exists()) return name
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK])
  try {
    if (await exists()) return name
    // Built under another name and renamed when complete: a half-built template is never used.
    const building = `${name}_building`
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${building}`)
    const h = await openDb({ databaseUrl: urlFor(adminUrl, building), poolSize: 1 })
    await migrate(h.db)
    await h.close()
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`)
    return name
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK])
  }
}

/** A migrated PGlite data folder in the temp folder, built by the first suite that needs it. */
async function ensurePgliteTemplate(): Promise<string> {
  const dir = join(tmpdir(), `wxpush-pglite-tpl-${SCHEMA_HASH}`)
  if (existsSync(dir)) return dir
  const building = mkdtempSync(join(tmpdir(), 'wxpush-pglite-building-'))
  const h = await openDb({ dataDir: join(building, 'pglite') })
  await migrate(h.db)
  await h.close()
  try {
    renameSync(join(building, 'pglite'), dir) // atomic; another worker may have won the race
  } catch (err) {
    if (!existsSync(dir)) throw err
  }
  rmSync(building, { recursive: true, force: true })
  return dir
}

export async function createTestDatabase(kind: DbKind, adminUrl: string = ADMIN_URL): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxpush-test-'))
  if (kind === 'pglite') {
    cpSync(await ensurePgliteTemplate(), join(dataDir, 'pglite'), { recursive: true })
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
  try {
    const template = await ensurePostgresTemplate(admin, adminUrl)
    await createFromTemplate(admin, name, template)
  } finally {
    await admin.end()
  }
  return {
    kind,
    env: { DATABASE_URL: urlFor(adminUrl, name), WXPUSH_DATA_DIR: dataDir },
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

/** CREATE DATABASE … TEMPLATE, again when another session is copying the template (55006) at that moment. */
async function createFromTemplate(admin: pg.Client, name: string, template: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
      return
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt))
    }
  }
}
