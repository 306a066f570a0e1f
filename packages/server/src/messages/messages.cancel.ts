// Cancelling a queued or scheduled message: one transaction gives the credit back and tells the
// webhook. Used by the API (POST /v1/messages/:id/cancel) and the console alike.
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import { messageNotFound, notCancellable } from './messages.errors.ts'
import type { MessagesStore } from './messages.store.ts'

export async function cancelMessage(
  deps: { db: Db; store: MessagesStore; ledger: Ledger; webhooks: Webhooks },
  appId: string,
  id: string,
): Promise<{ id: string; status: 'cancelled' }> {
  const { db, store } = deps
  const done = await db.transaction().execute(async (trx) => {
    const row = await store.cancel(trx, appId, id)
    if (row?.credit_reserved) {
      await deps.ledger.release(trx, [
        { appId, userId: row.user_id, templateId: row.template_id, messageId: row.id },
      ])
    }
    if (row)
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
}
