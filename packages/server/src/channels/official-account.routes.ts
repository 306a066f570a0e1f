// The official-account bridge's routes (docs/channels.md):
//   PUT/GET/DELETE /v1/apps/:appId/official-account   link, show, unlink (admin-scope key of the app);
//                                                      the AppSecret and Token are never answered
//   POST /v1/apps/:appId/official-account/followers/sync  read the followers and their unionids
//   GET /v1/users/:id/official-account                 the user's unionid, follower status and
//                                                      whether the fallback applies to them
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { appOf, requireAppAdmin } from '../http/auth.ts'
import { userNotFound } from '../users/users.errors.ts'
import type { OfficialAccounts } from './official-account.ts'

const AppParams = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 64 }) })
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

const LinkBody = Type.Object(
  {
    appId: Type.String({ pattern: '^wx[0-9a-zA-Z]{8,32}$', description: "the official account's AppID" }),
    secret: Type.String({ minLength: 1, maxLength: 128, description: "the official account's AppSecret" }),
    token: Type.String({
      pattern: '^[A-Za-z0-9]{3,32}$',
      description: "the official account's message-push Token (3–32 letters or digits)",
    }),
  },
  { additionalProperties: false },
)

const LinkView = Type.Union([
  Type.Object({
    linked: Type.Literal(true),
    officialAccount: Type.String(),
    linkedAt: Type.String({ format: 'date-time' }),
    followersSyncedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
  Type.Object({ linked: Type.Literal(false) }),
])

const SyncView = Type.Object({
  followers: Type.Integer(),
  matchedByUnionid: Type.Integer(),
  withoutUnionid: Type.Integer(),
  syncedAt: Type.String({ format: 'date-time' }),
})

const UserView = Type.Object({
  userId: Type.String(),
  officialAccount: Type.Union([Type.String(), Type.Null()]),
  unionid: Type.Union([Type.String(), Type.Null()]),
  follower: Type.Union([Type.Boolean(), Type.Null()]),
  checkedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  fallback: Type.Union(
    ['applies', 'no_linked_account', 'no_unionid', 'unknown_follower', 'not_follower'].map((s) =>
      Type.Literal(s),
    ),
  ),
})

export function officialAccountRoutes(deps: {
  officialAccounts: OfficialAccounts
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const oa = deps.officialAccounts
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)
    type AppRequest = FastifyRequest<{ Params: Static<typeof AppParams> }>
    const ownAdmin = (request: AppRequest) => requireAppAdmin(request, request.params.appId)

    app.put<{ Params: Static<typeof AppParams>; Body: Static<typeof LinkBody> }>(
      '/v1/apps/:appId/official-account',
      { schema: { params: AppParams, body: LinkBody, response: { 200: LinkView } } },
      async (request) => oa.link(ownAdmin(request), request.body),
    )

    app.get<{ Params: Static<typeof AppParams> }>(
      '/v1/apps/:appId/official-account',
      { schema: { params: AppParams, response: { 200: LinkView } } },
      async (request) => oa.get(ownAdmin(request)),
    )

    app.delete<{ Params: Static<typeof AppParams> }>(
      '/v1/apps/:appId/official-account',
      { schema: { params: AppParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await oa.unlink(ownAdmin(request))
        return reply.status(204).send()
      },
    )

    app.post<{ Params: Static<typeof AppParams> }>(
      '/v1/apps/:appId/official-account/followers/sync',
      { schema: { params: AppParams, response: { 200: SyncView } } },
      async (request) => oa.syncFollowers(ownAdmin(request)),
    )

    app.get<{ Params: Static<typeof UserParams> }>(
      '/v1/users/:id/official-account',
      { schema: { params: UserParams, response: { 200: UserView } } },
      async (request) => {
        const state = await oa.stateOf(appOf(request), { userId: request.params.id })
        if (!state) throw userNotFound({ id: request.params.id })
        const { followerOpenid: _openid, ...view } = state
        return view
      },
    )
  }
}
