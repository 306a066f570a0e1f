// GET and POST /wechat/callback/:appId (WeChat's message push URL), and the configuration API
// PUT / GET /v1/apps/:appId/callback (an admin-scope API key of that app).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { AppError } from '../errors.ts'
import { requireAppAdmin } from '../http/auth.ts'
import type { CallbackConfigs, CallbackConfigView } from './callbacks.config.ts'
import type { CallbackReceiver } from './callbacks.receiver.ts'
import { doc } from '../http/openapi.ts'

const Text = (description: string) => ({
  description,
  content: { 'text/plain': { schema: Type.String() } },
})

const CallbackConfigAnswer = Type.Object({
  appId: Type.String(),
  mode: Type.Union([Type.Literal('plain'), Type.Literal('compatible'), Type.Literal('secure')]),
  format: Type.Union([Type.Literal('json'), Type.Literal('xml')]),
  tokenSet: Type.Boolean({ description: 'Token 本身从不返回 / the Token itself is never answered' }),
  encodingAesKeySet: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
  url: Type.String({ description: '填入微信后台的 URL / the URL to enter in WeChat’s settings' }),
})

/** A push is a few KiB (a compatible-mode popup with five templates is about 3 KiB). */
export const CALLBACK_BODY_LIMIT_BYTES = 64 * 1024

const AppParams = Type.Object({ appId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
type AppParams = Static<typeof AppParams>

const CallbackBody = Type.Object(
  {
    // WeChat's rules for the 消息推送配置 form: Token 3–32 letters or digits; EncodingAESKey 43 characters.
    token: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{3,32}$' })),
    encodingAesKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}$' })),
    // Secure by default: only there does a signature (msg_signature) cover the body; in plain mode
    // anyone who saw one push URL can post other bodies under it within the timestamp window.
    mode: Type.Union([Type.Literal('plain'), Type.Literal('compatible'), Type.Literal('secure')], {
      default: 'secure',
    }),
    format: Type.Union([Type.Literal('json'), Type.Literal('xml')]),
  },
  { additionalProperties: false },
)
type CallbackBody = Static<typeof CallbackBody>

function withUrl(request: FastifyRequest, v: CallbackConfigView) {
  return { ...v, url: `${request.protocol}://${request.host}/wechat/callback/${v.appId}` }
}

export function callbacksRoutes(deps: {
  receiver: CallbackReceiver
  configs: CallbackConfigs
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  return async function (app: FastifyInstance) {
    await app.register(async (wechat) => {
      // Bodies stay text, whatever the content type says (the receiver tells JSON from XML by the
      // first character); @wxpush/wechat's parser reads 64-bit ids losslessly and refuses DOCTYPE.
      wechat.removeAllContentTypeParsers()
      wechat.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

      const refused = (request: FastifyRequest, appId: string, err: unknown) => {
        if (err instanceof AppError)
          request.log.warn({ appId, code: err.code }, 'push refused / 拒绝了一条消息推送')
        return err
      }

      wechat.get<{ Params: AppParams; Querystring: Record<string, unknown> }>(
        '/wechat/callback/:appId',
        {
          schema: {
            ...doc({
              tag: 'wechat',
              auth: 'none',
              zh: '微信验证推送地址（签名正确时原样返回 echostr）',
              en: 'WeChat checks the push URL (echostr is answered when the signature holds)',
            }),
            params: AppParams,
            response: { 200: Text('echostr') },
          },
        },
        async (request, reply: FastifyReply) => {
          const { appId } = request.params
          try {
            const echostr = await deps.receiver.verifyUrl({ appId, query: request.query })
            return reply.type('text/plain; charset=utf-8').send(echostr)
          } catch (err) {
            throw refused(request, appId, err)
          }
        },
      )

      wechat.post<{ Params: AppParams; Querystring: Record<string, unknown> }>(
        '/wechat/callback/:appId',
        {
          schema: {
            ...doc({
              tag: 'wechat',
              auth: 'none',
              zh: '微信推送的事件（签名校验，安全模式下解密）',
              en: 'An event pushed by WeChat (signature checked, decrypted in secure mode)',
            }),
            params: AppParams,
            response: { 200: Text('success') },
          },
          bodyLimit: CALLBACK_BODY_LIMIT_BYTES,
        },
        async (request, reply: FastifyReply) => {
          const { appId } = request.params
          try {
            await deps.receiver.receive({ appId, query: request.query, body: request.body })
          } catch (err) {
            throw refused(request, appId, err)
          }
          // WeChat: "直接回复success" — it then neither waits nor retries.
          return reply.type('text/plain; charset=utf-8').send('success')
        },
      )
    })

    await app.register(async (api) => {
      api.addHook('preValidation', deps.requireApiKey)
      const ownAdmin = (request: FastifyRequest<{ Params: AppParams }>) =>
        requireAppAdmin(request, request.params.appId)

      api.put<{ Params: AppParams; Body: CallbackBody }>(
        '/v1/apps/:appId/callback',
        {
          schema: {
            ...doc({
              tag: 'apps',
              auth: 'appAdminKey',
              zh: '设置微信消息推送（Token、EncodingAESKey、模式、格式）',
              en: 'Configure WeChat’s message push (Token, EncodingAESKey, mode, format)',
            }),
            params: AppParams,
            body: CallbackBody,
            response: { 200: CallbackConfigAnswer },
          },
        },
        async (request) => {
          ownAdmin(request)
          const b = request.body
          const view = await deps.configs.set({ appId: request.params.appId, ...b })
          return withUrl(request, view)
        },
      )

      api.get<{ Params: AppParams }>(
        '/v1/apps/:appId/callback',
        {
          schema: {
            ...doc({
              tag: 'apps',
              auth: 'appAdminKey',
              zh: '查询消息推送设置（不含密钥）',
              en: 'The message push settings (never the secrets)',
            }),
            params: AppParams,
            response: { 200: CallbackConfigAnswer },
          },
        },
        async (request) => {
          ownAdmin(request)
          return withUrl(request, await deps.configs.get(request.params.appId))
        },
      )
    })
  }
}
