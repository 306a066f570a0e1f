import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Db, DbKind } from '../db/db.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { databaseUnavailable } from './http.errors.ts'

export function healthRoutes(deps: { db: Db; kind: DbKind; tokens: TokenProvider }) {
  return async function (app: FastifyInstance) {
    app.get('/v1/health', async () => {
      try {
        await sql`SELECT 1`.execute(deps.db)
      } catch (cause) {
        throw databaseUnavailable({ db: deps.kind }, { cause })
      }
      // Apps that cannot send until an operator rotates their AppSecret (the service itself is up).
      const credentialsInvalid = (await deps.tokens.refusedCredentials()).map((r) => ({
        appId: r.appId,
        errcode: r.errcode,
        since: r.since?.toISOString() ?? null,
      }))
      return { status: 'ok', db: deps.kind, credentialsInvalid }
    })
  }
}
