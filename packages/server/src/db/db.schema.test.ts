// db.schema.ts (the Kysely types, written by hand) against the migrated database, on both: the same
// tables, the same columns, and a column's type admits null exactly when the column is nullable.
// The types are read with the TypeScript compiler, so a column added to a migration and not to
// db.schema.ts (or the other way round) fails here rather than at run time.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../testing/test-db.ts'
import { openDb, type DbHandle } from './db.ts'

const SCHEMA_FILE = fileURLToPath(new URL('./db.schema.ts', import.meta.url))

/** table → column → nullable, as db.schema.ts declares them. */
function declaredSchema(): Record<string, Record<string, boolean>> {
  const file = ts.createSourceFile(SCHEMA_FILE, readFileSync(SCHEMA_FILE, 'utf8'), ts.ScriptTarget.Latest)
  const interfaces = new Map<string, ts.InterfaceDeclaration>()
  const aliases = new Map<string, string>()
  file.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n)
    if (ts.isTypeAliasDeclaration(n)) aliases.set(n.name.text, n.type.getText(file))
  })
  // A select type admits null when its text (or the alias it names) has `null` in its first part.
  const nullable = (type: ts.TypeNode): boolean => {
    // `Json<…> | null`: a union admits null when one of its members does
    if (ts.isUnionTypeNode(type)) return type.types.some(nullable)
    let text = type.getText(file)
    const alias = aliases.get(text.split('<')[0] ?? '')
    if (alias) text = alias
    const selected = /^(ColumnType|Generated)</.test(text)
      ? (text.slice(text.indexOf('<') + 1).split(',')[0] ?? '')
      : text
    return /\bnull\b/.test(selected)
  }
  const members = (name: string) => interfaces.get(name)?.members.filter(ts.isPropertySignature) ?? []
  const out: Record<string, Record<string, boolean>> = {}
  for (const table of members('Database')) {
    const typeName = table.type?.getText(file) ?? ''
    out[table.name.getText(file)] = Object.fromEntries(
      members(typeName).map((c) => [c.name.getText(file), c.type ? nullable(c.type) : true]),
    )
  }
  return out
}

describe.each(DB_KINDS)('db.schema.ts against the migrated database on %s', (kind) => {
  let database: TestDatabase
  let handle: DbHandle

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    handle = await openDb({ databaseUrl: database.env.DATABASE_URL, dataDir: `${database.dataDir}/pglite` })
  })
  afterAll(async () => {
    await handle?.close()
    await database?.drop(false)
  })

  it('declares every table and column, nullable exactly where the database is', async () => {
    const r = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
      SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`.execute(handle.db)
    const actual: Record<string, Record<string, boolean>> = {}
    for (const c of r.rows) (actual[c.table_name] ??= {})[c.column_name] = c.is_nullable === 'YES'
    expect(declaredSchema()).toEqual(actual)
  })
})
