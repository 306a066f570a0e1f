// enqueue(): resolve the template, check the content against its keyword rules, then take the
// credit and write the message in ONE statement (messages.store enqueue). The message row is the
// outbox: once it commits, the dispatcher owns it, and the 202 is only sent after that.
import type { FitChange } from '@wxpush/wechat'
import { fitTemplateData, validateTemplateData } from '@wxpush/wechat'
import { noCredit, notSubscribed } from '../consents/consents.errors.ts'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { TemplateRegistry } from '../templates/templates.sync.ts'
import { contentInvalid, recipientUnknown, sendAtInvalid } from './messages.errors.ts'
import type { MessagesStore } from './messages.store.ts'

export interface EnqueueRequest {
  appId: string
  to: { openid: string } | { userId: string }
  template: string
  data: Record<string, unknown>
  page?: string | undefined
  miniprogramState?: 'developer' | 'trial' | 'formal' | undefined
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW' | undefined
  idempotencyKey?: string | undefined
  sendAt?: string | undefined
  fit?: boolean | undefined
}

export interface EnqueueResult {
  id: string
  status: string
  duplicate: boolean
  changes?: FitChange[]
}

class IdempotencyRace extends Error {}

export function createOutbox(deps: {
  db: Db
  store: MessagesStore
  templates: TemplateRegistry
  onEnqueued?: () => void
}) {
  const { db, store } = deps

  async function existing(appId: string, key: string | undefined): Promise<EnqueueResult | undefined> {
    if (!key) return undefined
    const m = await store.findByIdempotencyKey(db, appId, key)
    return m ? { id: m.id, status: m.status, duplicate: true } : undefined
  }

  /**
   * Everything before the write: the template resolved, the content checked (or fitted), the time
   * decided. Throws the same catalogued errors as enqueue. Batch sends use it item by item.
   */
  async function prepare(req: EnqueueRequest) {
    const template = await deps.templates.resolve(req.appId, req.template)
    let values: Record<string, string>
    let changes: FitChange[] = []
    if (req.fit) {
      const fitted = fitTemplateData(template.keywords, req.data)
      if (!fitted.ok) throw contentInvalid({ template: template.id, violations: fitted.violations })
      values = fitted.values
      changes = fitted.changes
    } else {
      const checked = validateTemplateData(template.keywords, req.data)
      if (!checked.ok) throw contentInvalid({ template: template.id, violations: checked.violations })
      values = checked.values
    }

    let runAt = new Date()
    if (req.sendAt !== undefined) {
      const at = new Date(req.sendAt)
      if (Number.isNaN(at.getTime())) throw sendAtInvalid({ sendAt: req.sendAt })
      if (at > runAt) runAt = at
    }
    const status: 'queued' | 'scheduled' = runAt.getTime() > Date.now() ? 'scheduled' : 'queued'
    const message = {
      id: newId('msg'),
      appId: req.appId,
      recipient: req.to,
      templateId: template.id,
      templateKind: template.kind,
      data: values,
      page: req.page ?? null,
      miniprogramState: req.miniprogramState ?? null,
      lang: req.lang ?? null,
      status,
      runAt,
      idempotencyKey: req.idempotencyKey ?? null,
    }
    return { message, template, changes }
  }

  return {
    prepare,

    async enqueue(req: EnqueueRequest): Promise<EnqueueResult> {
      const again = await existing(req.appId, req.idempotencyKey)
      if (again) return again

      const { message, template, changes } = await prepare(req)
      const status = message.status

      // Without a key the statement stands alone. With one, a lost race on the key must give the
      // credit back: the transaction is rolled back and the winner's message is answered.
      const result = req.idempotencyKey
        ? await db
            .transaction()
            .execute(async (trx) => {
              const r = await store.enqueue(trx, message)
              if (r.userId && r.allowed && !r.messageId) throw new IdempotencyRace()
              return r
            })
            .catch((err: unknown) => {
              if (err instanceof IdempotencyRace) return undefined
              throw err
            })
        : await store.enqueue(db, message)
      if (!result) return (await existing(req.appId, req.idempotencyKey))!
      if (!result.userId) throw recipientUnknown({ to: req.to })
      if (!result.allowed) {
        throw template.kind === 'one_time'
          ? noCredit({ template: template.id, credits: 0 })
          : notSubscribed({ template: template.id })
      }

      deps.onEnqueued?.()
      return { id: message.id, status, duplicate: false, ...(changes.length > 0 ? { changes } : {}) }
    },
  }
}

export type Outbox = ReturnType<typeof createOutbox>
