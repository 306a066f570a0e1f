import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Db, DbKind } from '../db/db.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { Type } from 'typebox'
import { databaseUnavailable } from './http.errors.ts'
import { doc } from './openapi.ts'

const HealthView = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  credentialsInvalid: Type.Array(
    Type.Object({
      appId: Type.String(),
      errcode: Type.Union([Type.Integer(), Type.Null()]),
      since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    {
      description: '微信拒绝了 AppSecret、需更换密钥的应用 / apps whose AppSecret WeChat refused (rotate it)',
    },
  ),
})
const health = {
  schema: {
    ...doc({ tag: 'service', auth: 'none', zh: '健康检查（含数据库）', en: 'Health, database included' }),
    response: { 200: HealthView },
  },
}

export function healthRoutes(deps: { db: Db; kind: DbKind; tokens: TokenProvider }) {
  return async function (app: FastifyInstance) {
    app.get('/v1/health', health, async () => {
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
      return { status: 'ok' as const, db: deps.kind, credentialsInvalid }
    })
  }
}
