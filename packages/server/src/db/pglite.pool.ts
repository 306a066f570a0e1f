// A pg-Pool look-alike over one PGlite instance, so Kysely's PostgresDialect can drive PGlite.
// PGlite has a single connection: the pool hands it to one borrower at a time (a FIFO mutex), so a
// Kysely transaction owns the connection from BEGIN to COMMIT and nothing interleaves with it.
import type { PGlite } from '@electric-sql/pglite'

interface QueryResultLike {
  command: string
  rowCount: number
  rows: unknown[]
}

export interface PgliteClient {
  query(sql: string, parameters?: readonly unknown[]): Promise<QueryResultLike>
  release(): void
}

export function createPglitePool(pglite: PGlite): { connect(): Promise<PgliteClient>; end(): Promise<void> } {
  let tail: Promise<void> = Promise.resolve()

  const client = (release: () => void): PgliteClient => ({
    async query(sql, parameters = []) {
      // A parameterless script of several statements (a migration file) needs the simple protocol.
      if (parameters.length === 0 && /;\s*\S/.test(sql)) {
        const results = await pglite.exec(sql)
        const last = results.at(-1)
        return { command: 'SCRIPT', rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] }
      }
      const result = await pglite.query(sql, [...parameters])
      // Kysely reads `command` and `rowCount` to report affected rows of INSERT/UPDATE/DELETE.
      const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT'
      const rowCount = command === 'SELECT' ? result.rows.length : (result.affectedRows ?? 0)
      return { command, rowCount, rows: result.rows }
    },
    release,
  })

  return {
    connect() {
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      const ready = tail
      tail = ready.then(() => held)
      return ready.then(() => client(release))
    },
    async end() {
      await tail
      await pglite.close()
    },
  }
}
