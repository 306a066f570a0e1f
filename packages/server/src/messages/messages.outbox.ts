// enqueue(): resolve the template and the recipient, check the content against the template's
// keyword rules, then reserve one credit and write the message in ONE transaction. The message
// row is the outbox: once this commits, the dispatcher owns it.
import type { FitChange } from '@wxpush/wechat'
import { fitTemplateData, validateTemplateData } from '@wxpush/wechat'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { TemplateRegistry } from '../templates/templates.sync.ts'
import type { UsersStore } from '../users/users.store.ts'
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

export function createOutbox(deps: {
  db: Db
  store: MessagesStore
  ledger: Ledger
  templates: TemplateRegistry
  users: UsersStore
  onEnqueued?: () => void
}) {
  const { db, store } = deps

  async function existing(appId: string, key: string | undefined): Promise<EnqueueResult | undefined> {
    if (!key) return undefined
    const m = await store.findByIdempotencyKey(db, appId, key)
    return m ? { id: m.id, status: m.status, duplicate: true } : undefined
  }

  return {
    async enqueue(req: EnqueueRequest): Promise<EnqueueResult> {
      const again = await existing(req.appId, req.idempotencyKey)
      if (again) return again

      const template = await deps.templates.resolve(req.appId, req.template)
      const user =
        'openid' in req.to
          ? await deps.users.findByOpenid(req.appId, req.to.openid)
          : await deps.users.findById(req.appId, req.to.userId)
      if (!user) throw recipientUnknown({ to: req.to })

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
      const status = runAt.getTime() > Date.now() ? 'scheduled' : 'queued'
      const id = newId('msg')

      const inserted = await db
        .transaction()
        .execute(async (trx) => {
          const { reserved } = await deps.ledger.reserve(trx, {
            appId: req.appId,
            userId: user.id,
            templateId: template.id,
            kind: template.kind,
            messageId: id,
          })
          const ok = await store.insert(trx, {
            id,
            appId: req.appId,
            userId: user.id,
            openid: user.openid,
            templateId: template.id,
            templateKind: template.kind,
            data: values,
            page: req.page ?? null,
            miniprogramState: req.miniprogramState ?? null,
            lang: req.lang ?? null,
            status,
            runAt,
            idempotencyKey: req.idempotencyKey ?? null,
            creditReserved: reserved,
          })
          // Lost an idempotency race: roll the reservation back with the transaction.
          if (!ok) throw new IdempotencyRace()
          return ok
        })
        .catch(async (err: unknown) => {
          if (err instanceof IdempotencyRace) return false
          throw err
        })
      if (!inserted) return (await existing(req.appId, req.idempotencyKey))!

      deps.onEnqueued?.()
      return { id, status, duplicate: false, ...(changes.length > 0 ? { changes } : {}) }
    },
  }
}

class IdempotencyRace extends Error {}

export type Outbox = ReturnType<typeof createOutbox>
