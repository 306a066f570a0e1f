// The mini program's own routes (session token from POST /v1/auth/login):
//   POST /v1/consents       what wx.requestSubscribeMessage returned, or how it failed
//   PUT  /v1/me/settings    what wx.getSetting({withSubscriptions: true}) showed
//   GET  /v1/me/templates   the app's templates with this user's credits (aliases → ids for the SDK)
// A report is a claim: only templates of the app are taken, at most one call's worth, and when the
// app receives WeChat's popup events a reported accept needs one within the confirmation window.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Db } from '../db/db.ts'
import { sessionMissing } from '../users/users.errors.ts'
import { reportEmpty, templateUnknown, tooManyTemplates } from './consents.errors.ts'
import type { Ledger } from './consents.ledger.ts'
import { SUBSCRIBE_ANSWERS, type SubscribeAnswer } from './consents.ledger.ts'
import { doc } from '../http/openapi.ts'

const TemplateId = Type.String({ minLength: 1, maxLength: 128 })
const ConsentsBody = Type.Object(
  {
    // What wx.requestSubscribeMessage's success gave, as it gave it: the answer per template id,
    // and errMsg ("requestSubscribeMessage:ok") beside them, which is not an answer.
    results: Type.Optional(
      Type.Object(
        { errMsg: Type.Optional(Type.String({ maxLength: 256 })) },
        {
          additionalProperties: Type.Union(SUBSCRIBE_ANSWERS.map((a) => Type.Literal(a))),
          propertyNames: { minLength: 1, maxLength: 128 },
          maxProperties: 21,
        },
      ),
    ),
    // A failed call: WeChat's errCode (20004 main switch off, 10005 app in background, …) and the
    // templates it was asking for.
    fail: Type.Optional(
      Type.Object(
        {
          errCode: Type.Integer({ minimum: -1, maximum: 99_999_999 }),
          errMsg: Type.Optional(Type.String({ maxLength: 256 })),
          templates: Type.Array(TemplateId, { minItems: 1, maxItems: 20, uniqueItems: true }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

// wx.getSetting's itemSettings values (the "always keep" choices) as documented, plus the
// acceptWith* forms the guide says appear there.
const ITEM_SETTINGS = ['accept', 'reject', 'ban', 'acceptWithAudio', 'acceptWithAlert', 'acceptWithForcePush']
const SettingsBody = Type.Object(
  {
    mainSwitch: Type.Boolean(),
    itemSettings: Type.Optional(
      Type.Record(TemplateId, Type.Union(ITEM_SETTINGS.map((a) => Type.Literal(a))), { maxProperties: 100 }),
    ),
  },
  { additionalProperties: false },
)

// Answers. Only the fields listed here can reach the mini program.
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
const ReportView = Type.Object({
  consents: Type.Array(
    Type.Object({
      template: Type.String(),
      credits: Type.Integer(),
      status: Type.String(),
      unconfirmedUntil: NullableTime,
    }),
  ),
  mainSwitch: Type.Boolean(),
})
const SettingsView = Type.Object({
  mainSwitch: Type.Boolean(),
  itemSettings: Type.Record(Type.String(), Type.String()),
  ignored: Type.Array(Type.String(), { description: '本应用没有的模板 / templates the app does not have' }),
})
const MyTemplatesView = Type.Array(
  Type.Object({
    alias: Type.Union([Type.String(), Type.Null()]),
    id: Type.String(),
    kind: Type.Union([Type.Literal('one_time'), Type.Literal('long_term')]),
    title: Type.String(),
    credits: Type.Integer({
      description: '一次性：剩余次数；长期：1 开 0 关 / one-time: sends left; long-term: 1 on, 0 off',
    }),
    status: Type.String(),
    always: Type.Optional(Type.String()),
    mainSwitch: Type.Optional(Type.Literal(false)),
  }),
)

/** WeChat's fail codes of wx.requestSubscribeMessage that say something about the user's settings. */
const MAIN_SWITCH_OFF = 20004

export function consentsRoutes(deps: {
  db: Db
  ledger: Ledger
  requireSession: (r: FastifyRequest) => Promise<void>
  /** How long a report waits for WeChat's popup event; null when the app receives none. */
  confirmWindowS: (appId: string) => Promise<number | null>
  idsPerCall: number
}) {
  const { db, ledger } = deps

  /** Refuses a report naming more templates than one call can ask for, or another app's templates. */
  async function checkTemplates(appId: string, field: string, ids: string[]) {
    if (ids.length > deps.idsPerCall) throw tooManyTemplates({ field, max: deps.idsPerCall, got: ids.length })
    const known = await ledger.knownTemplates(db, appId, ids)
    const unknown = ids.find((id) => !known.has(id))
    if (unknown !== undefined) throw templateUnknown({ field: `${field}.${unknown}`, template: unknown })
  }

  const sessionOf = (request: FastifyRequest) => {
    if (!request.session) throw sessionMissing()
    return request.session
  }

  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireSession)

    app.post<{ Body: Static<typeof ConsentsBody> }>(
      '/v1/consents',
      {
        schema: {
          ...doc({
            tag: 'consents',
            auth: 'session',
            zh: '上报 wx.requestSubscribeMessage 的结果',
            en: 'Report what wx.requestSubscribeMessage answered',
          }),
          body: ConsentsBody,
          response: { 200: ReportView },
        },
      },
      async (request) => {
        const { appId, userId } = sessionOf(request)
        const results = Object.fromEntries(
          Object.entries(request.body.results ?? {}).filter(([k]) => k !== 'errMsg'),
        ) as Record<string, SubscribeAnswer>
        const fail = request.body.fail
        if (Object.keys(results).length === 0 && !fail) throw reportEmpty()
        await checkTemplates(appId, 'results', Object.keys(results))
        if (fail) await checkTemplates(appId, 'fail.templates', fail.templates)

        const confirmWindowS = await deps.confirmWindowS(appId)
        const consents = await db.transaction().execute(async (trx) => {
          if (fail) {
            // 20004 is WeChat saying the main switch is off: sends would reach nobody.
            if (fail.errCode === MAIN_SWITCH_OFF)
              await ledger.saveSettings(trx, { appId, userId, mainSwitch: false })
            await ledger.recordFailure(trx, {
              appId,
              userId,
              errCode: fail.errCode,
              templates: fail.templates,
            })
          }
          return ledger.recordAnswers(trx, { appId, userId, results, source: 'miniprogram', confirmWindowS })
        })
        const settings = await ledger.findSettings(db, userId)
        return {
          consents: consents.map((c) => ({
            template: c.template,
            credits: c.credits,
            status: c.status,
            // Set while this report waits for WeChat's popup event to confirm it.
            unconfirmedUntil: c.unconfirmedUntil?.toISOString() ?? null,
          })),
          mainSwitch: settings?.main_switch ?? true,
        }
      },
    )

    app.put<{ Body: Static<typeof SettingsBody> }>(
      '/v1/me/settings',
      {
        schema: {
          ...doc({
            tag: 'consents',
            auth: 'session',
            zh: '上报 wx.getSetting 的订阅设置',
            en: 'Report the subscription settings wx.getSetting showed',
          }),
          body: SettingsBody,
          response: { 200: SettingsView },
        },
      },
      async (request) => {
        const { appId, userId } = sessionOf(request)
        const items = request.body.itemSettings ?? {}
        // Choices about templates the app no longer has are dropped, not refused: WeChat keeps them.
        const known = await ledger.knownTemplates(db, appId, Object.keys(items))
        const itemSettings = Object.fromEntries(Object.entries(items).filter(([id]) => known.has(id)))
        await ledger.saveSettings(db, { appId, userId, mainSwitch: request.body.mainSwitch, itemSettings })
        return {
          mainSwitch: request.body.mainSwitch,
          itemSettings,
          ignored: Object.keys(items).filter((id) => !known.has(id)),
        }
      },
    )

    const myTemplates = {
      schema: {
        ...doc({
          tag: 'consents',
          auth: 'session',
          zh: '本应用的模板及当前用户的剩余次数',
          en: 'The app’s templates with this user’s credits',
        }),
        response: { 200: MyTemplatesView },
      },
    }
    app.get('/v1/me/templates', myTemplates, async (request) => {
      const { appId, userId } = sessionOf(request)
      const [rows, settings] = await Promise.all([
        ledger.templatesForUser(db, { appId, userId }),
        ledger.findSettings(db, userId),
      ])
      return rows.map((t) => ({
        alias: t.alias,
        id: t.id,
        kind: t.kind,
        title: t.title,
        // One-time: sends left. Long-term: 1 while the subscription is on, else 0.
        credits: t.kind === 'long_term' ? (t.long_term_on ? 1 : 0) : Math.max(0, t.credits ?? 0),
        status: t.status ?? 'none',
        ...(settings?.item_settings[t.id] ? { always: settings.item_settings[t.id] } : {}),
        ...(settings && !settings.main_switch ? { mainSwitch: false } : {}),
      }))
    })
  }
}
