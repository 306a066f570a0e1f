// POST /v1/consents: the mini program reports what wx.requestSubscribeMessage returned.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Db } from '../db/db.ts'
import { sessionMissing } from '../users/users.errors.ts'
import type { Ledger } from './consents.ledger.ts'
import { SUBSCRIBE_ANSWERS } from './consents.ledger.ts'

const ConsentsBody = Type.Object(
  {
    results: Type.Record(
      Type.String({ minLength: 1, maxLength: 128 }),
      Type.Union(SUBSCRIBE_ANSWERS.map((a) => Type.Literal(a))),
      { minProperties: 1, maxProperties: 20 },
    ),
  },
  { additionalProperties: false },
)

export function consentsRoutes(deps: {
  db: Db
  ledger: Ledger
  requireSession: (r: FastifyRequest) => Promise<void>
}) {
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireSession)
    app.post<{ Body: Static<typeof ConsentsBody> }>(
      '/v1/consents',
      { schema: { body: ConsentsBody } },
      async (request) => {
        const session = request.session
        if (!session) throw sessionMissing()
        // wx.requestSubscribeMessage also returns errMsg beside the template ids; it is not an answer.
        const results = Object.fromEntries(
          Object.entries(request.body.results).filter(([k]) => k !== 'errMsg'),
        )
        const consents = await deps.db.transaction().execute((trx) =>
          deps.ledger.recordAnswers(trx, {
            appId: session.appId,
            userId: session.userId,
            results,
            source: 'miniprogram',
          }),
        )
        return { consents }
      },
    )
  }
}
