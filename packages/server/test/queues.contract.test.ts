// The store contract of the three queues (messages, callbacks, webhooks), on both databases: the
// claim, lease sweep and finish SQL tested directly, one queue adapter each, the same checks for
// all. Fast and diagnosable where the 5 000-message crash tests only see the sum:
//   - concurrent claimers never share a row, and together they claim every due row once;
//   - an expired lease returns the row to the queue (counted as another attempt);
//   - a lost lease is not overwritten: the first holder's finish changes nothing;
//   - the holder's finish moves the row to its end state.
// Leases are expired by setting them in the past, not by waiting.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallbacksStore } from '../src/callbacks/callbacks.store.ts'
import { openDb, type Db, type DbHandle } from '../src/db/db.ts'
import { createMessagesStore } from '../src/messages/messages.store.ts'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../src/testing/test-db.ts'
import { createWebhooksStore } from '../src/webhooks/webhooks.store.ts'

const APP = 'wx_contract_app'
const USER = 'usr_contract'
const LEASE_MS = 60_000

/** What the checks need of a queue; `finish` answers whether the row moved. */
interface QueueAdapter {
  name: string
  seed(db: Db, n: number): Promise<string[]>
  claim(db: Db, worker: string, limit: number): Promise<{ id: string; attempts: number }[]>
  expireLeases(db: Db, ids: string[]): Promise<void>
  sweep(db: Db): Promise<void>
  finish(db: Db, worker: string, job: { id: string; attempts: number }): Promise<boolean>
  /** The row's state, compared before and after a finish that must change nothing. */
  state(db: Db, id: string): Promise<Record<string, unknown>>
  finished: Record<string, unknown>
}

let seq = 0
const ids = (prefix: string, n: number) => Array.from({ length: n }, () => `${prefix}_${++seq}`)
/** Columns every seeded row shares: this app, due a second ago. */
const due = () => ({ app_id: APP, run_at: new Date(Date.now() - 1_000) })

const messages = createMessagesStore()
const messagesQueue: QueueAdapter = {
  name: 'messages',
  async seed(db, n) {
    const rows = ids('msg_c', n)
    const message = {
      ...due(),
      user_id: USER,
      openid: 'o_contract',
      template_id: 'tpl_contract',
      template_kind: 'long_term' as const,
      data: JSON.stringify({ thing1: 'x' }),
      status: 'queued' as const,
    }
    await db
      .insertInto('messages')
      .values(rows.map((id) => ({ id, ...message })))
      .execute()
    return rows
  },
  claim: (db, workerId, limit) => messages.claim(db, { workerId, limit, leaseMs: LEASE_MS }),
  async expireLeases(db, rows) {
    await sql`UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = ANY(${rows})`.execute(
      db,
    )
  },
  async sweep(db) {
    await messages.sweepExpiredLeases(db)
  },
  async finish(db, workerId, job) {
    const moved = await messages.finishBatch(db, {
      workerId,
      items: [{ id: job.id, outcome: { status: 'sent', errcode: 0 } }],
    })
    return moved.has(job.id)
  },
  state: (db, id) =>
    db
      .selectFrom('messages')
      .select(['status', 'attempts', 'leased_by', 'uncertain_attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  finished: { status: 'sent', leased_by: null },
}

const callbacks = createCallbacksStore()
const callbacksQueue: QueueAdapter = {
  name: 'callbacks',
  async seed(db, n) {
    const inserted = await db
      .insertInto('callback_events')
      .values(
        ids('dedupe', n).map((key) => ({
          ...due(),
          dedupe_key: key,
          event_type: 'subscribe_msg_sent_event',
          format: 'json' as const,
          body: '{}',
          payload: JSON.stringify({}),
        })),
      )
      .returning('id')
      .execute()
    return inserted.map((r) => String(r.id))
  },
  // The callbacks queue has no worker id: the attempt number is its fence. The bigserial id comes
  // back as text from pg and as a number from PGlite: compared as text here.
  claim: async (db, _worker, limit) =>
    (await callbacks.claim(db, { limit, leaseMs: LEASE_MS })).map((e) => ({
      id: String(e.id),
      attempts: e.attempts,
    })),
  async expireLeases(db, rows) {
    await sql`UPDATE callback_events SET run_at = now() - interval '1 second' WHERE id::text = ANY(${rows})`.execute(
      db,
    )
  },
  async sweep() {
    // Nothing to sweep: a claim pushes run_at forward by the lease, so an expired one is simply due.
  },
  finish: (db, _worker, job) => callbacks.markDone(db, { id: job.id, attempts: job.attempts }),
  state: (db, id) =>
    db
      .selectFrom('callback_events')
      .select(['status', 'attempts'])
      .where(sql<boolean>`id::text = ${id}`)
      .executeTakeFirstOrThrow(),
  finished: { status: 'done' },
}

const webhooks = createWebhooksStore()
const webhooksQueue: QueueAdapter = {
  name: 'webhooks',
  async seed(db, n) {
    const rows = ids('whd_c', n)
    const delivery = { ...due(), message_id: 'msg_x', payload: JSON.stringify({}), status: 'queued' as const }
    await db
      .insertInto('webhook_deliveries')
      .values(rows.map((id) => ({ id, ...delivery })))
      .execute()
    return rows
  },
  claim: (db, workerId, limit) => webhooks.claim(db, { workerId, limit, leaseMs: LEASE_MS }),
  async expireLeases(db, rows) {
    await sql`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = ANY(${rows})`.execute(
      db,
    )
  },
  async sweep() {
    // Nothing to sweep: the claim takes rows whose lease ran out along with the due ones.
  },
  async finish(db, workerId, job) {
    const before = await webhooksQueue.state(db, job.id)
    await webhooks.finish(db, { id: job.id, workerId, status: 'delivered', httpStatus: 200, error: null })
    const after = await webhooksQueue.state(db, job.id)
    return after.status !== before.status
  },
  state: (db, id) =>
    db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts', 'leased_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  finished: { status: 'delivered', leased_by: null },
}

describe.each(DB_KINDS)('queue store contract on %s', (kind) => {
  let database: TestDatabase
  let handle: DbHandle
  let failed = false

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    handle = await openDb({
      databaseUrl: database.env.DATABASE_URL,
      dataDir: `${database.dataDir}/pglite`,
      poolSize: 8,
    })
    const db = handle.db
    await db
      .insertInto('apps')
      .values({ id: APP, name: 'contract', secret_enc: 'unused', token_mode: 'stable' })
      .execute()
    await db
      .insertInto('users')
      .values({ id: USER, app_id: APP, openid: 'o_contract', unionid: null, session_key_enc: null })
      .execute()
    await db
      .insertInto('webhooks')
      .values({ app_id: APP, url: 'http://127.0.0.1:9/hook', secret_enc: 'unused' })
      .execute()
  })
  afterAll(async () => {
    await handle?.close()
    await database?.drop(failed)
  })

  const check = (title: string, fn: (q: QueueAdapter, db: Db) => Promise<void>) =>
    it.each([messagesQueue, callbacksQueue, webhooksQueue])(`${title} ($name)`, async (q) => {
      await fn(q, handle.db).catch((e: unknown) => ((failed = true), Promise.reject(e)))
    })

  check('concurrent claimers never share a row, and claim every due row once', async (q, db) => {
    const seeded = await q.seed(db, 40)
    const claimedBy = new Map<string, string>()
    for (let round = 0; round < 10 && claimedBy.size < seeded.length; round++) {
      const batches = await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map(async (w) => ({ w, jobs: await q.claim(db, `${w}_${q.name}`, 7) })),
      )
      for (const { w, jobs } of batches) {
        for (const job of jobs) {
          if (!seeded.includes(job.id)) continue // rows of another check are not this one's business
          expect(claimedBy.get(job.id), `${job.id} claimed twice`).toBeUndefined()
          claimedBy.set(job.id, w)
        }
      }
    }
    expect([...claimedBy.keys()].sort()).toEqual([...seeded].sort())
    for (const id of seeded) await q.finish(db, `${claimedBy.get(id)}_${q.name}`, { id, attempts: 1 })
  })

  check('an expired lease returns the row to the queue, as another attempt', async (q, db) => {
    const [id] = await q.seed(db, 1)
    const first = (await q.claim(db, 'wA', 10)).find((j) => j.id === id)
    expect(first?.attempts).toBe(1)
    expect((await q.claim(db, 'wB', 10)).some((j) => j.id === id)).toBe(false) // still leased
    await q.expireLeases(db, [id!])
    await q.sweep(db)
    const again = (await q.claim(db, 'wB', 10)).find((j) => j.id === id)
    expect(again?.attempts).toBe(2)
    expect(await q.finish(db, 'wB', again!)).toBe(true)
  })

  check('a lost lease is not overwritten by its first holder', async (q, db) => {
    const [id] = await q.seed(db, 1)
    const first = (await q.claim(db, 'wA', 10)).find((j) => j.id === id)!
    await q.expireLeases(db, [id!])
    await q.sweep(db)
    const second = (await q.claim(db, 'wB', 10)).find((j) => j.id === id)!
    const held = await q.state(db, id!)
    expect(await q.finish(db, 'wA', first)).toBe(false)
    expect(await q.state(db, id!)).toEqual(held)
    expect(await q.finish(db, 'wB', second)).toBe(true)
    expect(await q.state(db, id!)).toMatchObject(q.finished)
  })

  // subscribe_msg_sent_event names only the user and the template: a message waiting for evidence
  // must not take the event of a same-pair send that has just finished with that msgid.
  it('delivery evidence does not settle a waiting message with the msgid another message holds', async () => {
    const db = handle.db
    const [sent, waiting] = await messagesQueue.seed(db, 2)
    await db
      .updateTable('messages')
      .set({ status: 'sent', wechat_msgid: 'msgid_taken', sent_at: new Date() })
      .where('id', '=', sent!)
      .execute()
    await sql`UPDATE messages SET awaiting_evidence_since = now(), run_at = now() + interval '1 minute'
               WHERE id = ${waiting}`.execute(db)
    const evidence = {
      appId: APP,
      openid: 'o_contract',
      templateId: 'tpl_contract',
      delivered: true,
      errcode: 0,
      errmsg: 'success',
    }
    expect(await messages.settleByEvidence(db, { ...evidence, wechatMsgid: 'msgid_taken' })).toBeNull()
    expect(await messages.settleByEvidence(db, { ...evidence, wechatMsgid: 'msgid_new' })).toEqual({
      messageId: waiting,
    })
  })
})
