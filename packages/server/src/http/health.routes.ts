import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Db, DbKind } from '../db/db.ts'
import { databaseUnavailable } from './http.errors.ts'

export function healthRoutes(deps: { db: Db; kind: DbKind }) {
  return async function (app: FastifyInstance) {
    app.get('/v1/health', async () => {
      try {
        await sql`SELECT 1`.execute(deps.db)
      } catch (cause) {
        throw databaseUnavailable({ db: deps.kind }, { cause })
      }
      return { status: 'ok', db: deps.kind }
    })
  }
}
