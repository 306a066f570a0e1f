// enqueue(): resolve the template, check the content against its keyword rules, then pass the
// consent gate (consents.credits.ts: take the credit) and write the message in ONE statement
// (messages.store enqueueMany), grouped with the accepts that arrive meanwhile (group commit,
// messages.group-commit.ts). The message row is the outbox: once it commits, the dispatcher owns
// it, and the 202 is only sent after that.
// cancel(): a message not yet claimed is cancelled, its credit given back and the webhook queued,
// in one transaction.
import type { FitChange } from '@wxpush/wechat'
import { fitTemplateData, validateTemplateData } from '@wxpush/wechat'
import { CONSENT_GATE } from '../consents/consents.credits.ts'
import { noCredit, notSubscribed } from '../consents/consents.errors.ts'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { TemplateRegistry } from '../templates/templates.registry.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import {
  contentInvalid,
  messageNotFound,
  notCancellable,
  recipientUnknown,
  sendAtInvalid,
} from './messages.errors.ts'
import { createGroupCommit, rolledBack } from './messages.group-commit.ts'
import type { EnqueueOutcome, MessagesStore, NewMessage } from './messages.store.ts'

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

// A group's statement carries up to this many messages (measured: past a few hundred a group only
// adds latency to its first member).
const MAX_GROUP = 256

export function createOutbox(deps: {
  db: Db
  store: MessagesStore
  templates: TemplateRegistry
  ledger: Ledger
  webhooks: Webhooks
  onEnqueued?: () => void
  /** Seconds from the request reaching the outbox to its row committed. */
  onAccepted?: (seconds: number) => void
}) {
  const { db, store } = deps

  /**
   * Writes messages in one statement; with idempotency keys, in a transaction that gives back the
   * credits of messages whose key a concurrent request took (allowed, not written).
   */
  async function write(db: Db, ms: NewMessage[]): Promise<EnqueueOutcome[]> {
    if (!ms.some((m) => m.idempotencyKey !== null)) return store.enqueueMany(db, ms, CONSENT_GATE)
    const keyed = async (trx: Db) => {
      const rs = await store.enqueueMany(trx, ms, CONSENT_GATE)
      await deps.ledger.release(
        trx,
        ms.flatMap((m, i) => {
          const r = rs[i]!
          return r.allowed && !r.written && m.templateKind === 'one_time'
            ? [{ appId: m.appId, userId: r.userId!, templateId: m.templateId, messageId: m.id }]
            : []
        }),
      )
      return rs
    }
    // the batch sender calls this inside its own transaction
    return db.isTransaction ? keyed(db) : db.transaction().execute(keyed)
  }

  const accepts = createGroupCommit<NewMessage, EnqueueOutcome>({
    maxGroup: MAX_GROUP,
    keyOf: (m) => (m.idempotencyKey === null ? null : `${m.appId} ${m.idempotencyKey}`),
    write: (ms) => write(db, ms),
    rolledBack,
  })

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
    const message: NewMessage = {
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

  /**
   * Why the consent gate let a send through to no one: the user's settings (main switch off,
   * "always reject") when those are the reason, else no credit or no long-term consent.
   */
  async function refusal(
    db: Db,
    userId: string,
    template: { id: string; kind: 'one_time' | 'long_term' },
  ): Promise<AppError> {
    try {
      await deps.ledger.refusedBecauseSwitchedOff(db, { userId, templateId: template.id })
    } catch (err) {
      if (err instanceof AppError) return err
      throw err
    }
    return template.kind === 'one_time'
      ? noCredit({ template: template.id, credits: 0 })
      : notSubscribed({ template: template.id })
  }

  return {
    prepare,
    refusal,
    write,

    async enqueue(req: EnqueueRequest): Promise<EnqueueResult> {
      const started = performance.now()
      const again = await existing(req.appId, req.idempotencyKey)
      if (again) return again

      const { message, template, changes } = await prepare(req)
      const r = await accepts.submit(message)
      if (r.duplicate) return { id: r.duplicate.id, status: r.duplicate.status, duplicate: true }
      if (!r.userId) throw recipientUnknown({ to: req.to })
      if (!r.allowed) throw await refusal(db, r.userId, template)
      // A concurrent request took the key (its credit was given back): the winner's message answers.
      if (!r.written) return (await existing(req.appId, req.idempotencyKey))!

      deps.onAccepted?.((performance.now() - started) / 1000)
      deps.onEnqueued?.()
      return {
        id: message.id,
        status: message.status,
        duplicate: false,
        ...(changes.length > 0 ? { changes } : {}),
      }
    },

    /** Cancels a message not yet claimed; 404 when there is none, 409 when it is past cancelling. */
    async cancel(appId: string, id: string): Promise<{ id: string; status: 'cancelled' }> {
      const done = await db.transaction().execute(async (trx) => {
        const row = await store.cancel(trx, appId, id)
        if (!row) return undefined
        if (row.credit_reserved) {
          await deps.ledger.release(trx, [
            { appId, userId: row.user_id, templateId: row.template_id, messageId: row.id },
          ])
        }
        await deps.webhooks.statusChanged(trx, {
          appId,
          messageId: row.id,
          status: 'cancelled',
          reason: 'cancelled',
        })
        return row
      })
      if (done) return { id: done.id, status: 'cancelled' }
      const m = await store.findById(db, appId, id)
      if (!m) throw messageNotFound({ id })
      throw notCancellable({ id: m.id, status: m.status })
    },
  }
}

export type Outbox = ReturnType<typeof createOutbox>
