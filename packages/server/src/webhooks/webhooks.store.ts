// SQL of webhooks: each app's endpoint, and the deliveries outbox (same claim protocol as messages).
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'

export interface DeliveryRow {
  id: string
  app_id: string
  message_id: string
  payload: Record<string, unknown>
  attempts: number
  url: string
  secret_enc: string
}

export function createWebhooksStore() {
  return {
    async upsertEndpoint(db: Db, p: { appId: string; url: string; secretEnc: string }) {
      await db
        .insertInto('webhooks')
        .values({ app_id: p.appId, url: p.url, secret_enc: p.secretEnc })
        .onConflict((oc) =>
          oc.column('app_id').doUpdateSet({ url: p.url, secret_enc: p.secretEnc, updated_at: new Date() }),
        )
        .execute()
    },
    findEndpoint(db: Db, appId: string) {
      return db
        .selectFrom('webhooks')
        .select(['url', 'created_at', 'updated_at'])
        .where('app_id', '=', appId)
        .executeTakeFirst()
    },
    async removeEndpoint(db: Db, appId: string) {
      await db.deleteFrom('webhooks').where('app_id', '=', appId).execute()
    },

    /** Inside the transaction that changes the messages' status; only apps with a webhook get rows. */
    async enqueueMany(
      db: Db,
      items: { appId: string; messageId: string; payload: Record<string, unknown> }[],
    ) {
      if (items.length === 0) return
      const rows = JSON.stringify(
        items.map((i) => ({
          id: newId('whd'),
          app_id: i.appId,
          message_id: i.messageId,
          payload: i.payload,
        })),
      )
      await sql`
        INSERT INTO webhook_deliveries (id, app_id, message_id, payload, status)
        SELECT v.id, v.app_id, v.message_id, v.payload, 'queued'
          FROM jsonb_to_recordset(${rows}::jsonb) AS v(id text, app_id text, message_id text, payload jsonb)
          JOIN webhooks w ON w.app_id = v.app_id`.execute(db)
    },

    async claim(db: Db, p: { workerId: string; limit: number; leaseMs: number }): Promise<DeliveryRow[]> {
      const r = await sql<DeliveryRow>`
        UPDATE webhook_deliveries d
           SET status = 'sending', attempts = d.attempts + 1, leased_by = ${p.workerId},
               lease_until = now() + make_interval(secs => ${p.leaseMs / 1000}), updated_at = now()
          FROM webhooks w
         WHERE w.app_id = d.app_id
           AND d.id IN (SELECT id FROM webhook_deliveries
                         WHERE (status = 'queued' AND run_at <= now()) OR (status = 'sending' AND lease_until < now())
                         ORDER BY run_at LIMIT ${p.limit} FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.app_id, d.message_id, d.payload, d.attempts, w.url, w.secret_enc`.execute(db)
      return r.rows
    },

    async finish(
      db: Db,
      p: {
        id: string
        workerId: string
        status: 'delivered' | 'failed' | 'queued'
        httpStatus: number | null
        error: string | null
        retryAt?: Date
      },
    ) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: p.status,
          last_status: p.httpStatus,
          last_error: p.error,
          lease_until: null,
          leased_by: null,
          updated_at: new Date(),
          ...(p.retryAt ? { run_at: p.retryAt } : {}),
        })
        .where('id', '=', p.id)
        .where('leased_by', '=', p.workerId)
        .execute()
    },

    listForMessage(db: Db, messageId: string) {
      return db
        .selectFrom('webhook_deliveries')
        .select(['id', 'status', 'attempts', 'last_status', 'last_error', 'payload', 'created_at'])
        .where('message_id', '=', messageId)
        .orderBy('created_at')
        .execute()
    },
  }
}

export type WebhooksStore = ReturnType<typeof createWebhooksStore>
