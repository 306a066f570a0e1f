// POST /v1/messages with `fallback: "official_account"` (docs/channels.md): the subscription message
// is tried first, exactly as without the fallback. Only when it is refused for want of a credit
// (messages.no_credit, messages.not_subscribed, messages.user_switched_off) and the user follows the
// linked official account (matched by unionid) is the official-account template message written
// instead: channel 'official_account', its own template id and data. Otherwise the subscription
// refusal stands, with `details.fallback` saying why the fallback could not apply.
//
// `officialAccount.data` values may name the subscription message's values: "{{thing1}}" is replaced
// by data.thing1 (the data mapping), so one body serves both routes.
import { Type, type Static } from 'typebox'
import { AppError } from '../errors.ts'
import { requestInvalid } from '../http/http.errors.ts'
import { compileBodyValidator } from '../http/validation.ts'
import type { EnqueueResult, Outbox } from '../messages/messages.outbox.ts'
import { SendMessageBody } from '../messages/messages.schemas.ts'
import { noLinkedAccount } from './channels.errors.ts'
import type { OfficialAccounts } from './official-account.ts'

/** Refusals that mean "no subscription credit": the only ones the fallback answers. */
export const FALLBACK_ON = ['messages.no_credit', 'messages.not_subscribed', 'messages.user_switched_off']

export const OfficialAccountPart = Type.Object(
  {
    template: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "the official account's template id",
    }),
    data: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.String({ maxLength: 1000 }), {
      minProperties: 1,
    }),
    url: Type.Optional(Type.String({ maxLength: 1024, pattern: '^https?://' })),
    page: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, pattern: '^[^/]' })),
  },
  { additionalProperties: false },
)
type OfficialAccountPart = Static<typeof OfficialAccountPart>

const checkPart = compileBodyValidator(OfficialAccountPart, 'body.officialAccount')
const checkRest = compileBodyValidator(SendMessageBody, 'body')

export interface FallbackAnswer extends Omit<EnqueueResult, 'changes'> {
  channel: 'official_account'
  fallback: { from: string }
}

function mapped(part: OfficialAccountPart, data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(part.data).map(([k, v]) => [
      k,
      v.replace(/\{\{(\w+)\}\}/g, (_, key: string) => (data[key] === undefined ? '' : String(data[key]))),
    ]),
  )
}

export function createFallback(deps: { outbox: Outbox; officialAccounts: OfficialAccounts }) {
  return async function sendWithFallback(
    appId: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; answer: unknown }> {
    const { fallback, officialAccount, channel, ...rest } = body
    if (fallback !== 'official_account')
      throw requestInvalid({ field: 'body.fallback', rule: 'one_of', allowed: ['official_account'] })
    if (channel !== undefined && channel !== 'subscribe')
      throw requestInvalid({ field: 'body.fallback', rule: 'only with subscription messages (no channel)' })
    if (!(await deps.officialAccounts.get(appId)).linked) throw noLinkedAccount({ field: 'body.fallback' })
    if (officialAccount === undefined)
      throw requestInvalid({
        fields: [{ field: 'body.officialAccount', rule: 'required', message: 'required' }],
      })
    const bad = [...checkPart(officialAccount), ...checkRest(rest)]
    if (bad.length > 0) throw requestInvalid({ fields: bad })
    const part = officialAccount as OfficialAccountPart
    const send = rest as SendMessageBody

    try {
      const r = await deps.outbox.enqueue({ appId, ...send })
      return { status: r.duplicate ? 200 : 202, answer: r }
    } catch (err) {
      if (!(err instanceof AppError) || !FALLBACK_ON.includes(err.code)) throw err
      const r = await deps.officialAccounts.enqueue({
        appId,
        recipient: send.to,
        message: {
          templateId: part.template,
          data: mapped(part, send.data),
          url: part.url,
          page: part.page,
        },
        idempotencyKey: send.idempotencyKey ?? null,
      })
      if (r.state !== 'applies') {
        throw new AppError(
          err,
          { ...err.details, fallback: { applied: false, reason: r.state } },
          { cause: err },
        )
      }
      if (r.id === null) {
        // The key was taken meanwhile: answer what it names.
        const again = await deps.outbox.enqueue({ appId, ...send }).catch(() => undefined)
        if (again) return { status: 200, answer: again }
        throw err
      }
      const answer: FallbackAnswer = {
        id: r.id,
        status: 'queued',
        duplicate: false,
        channel: 'official_account',
        fallback: { from: err.code },
      }
      return { status: 202, answer }
    }
  }
}

export type Fallback = ReturnType<typeof createFallback>
