// kill -9 a worker in the middle of 5 000 sends, start another: every message ends terminal, none is
// lost, the ledger agrees, and the duplicates are at most what was in flight at the kill.
import { sql } from 'kysely'
import { openDb } from '../src/db/db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, messagesSettled, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import { spawnWxpush, type WxpushProcess } from '../src/testing/test-process.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'

const USERS = 500
const PER_USER = 10
const TOTAL = USERS * PER_USER
const CONCURRENCY = 32
const SEND = '/cgi-bin/message/subscribe/send'

describe('a worker killed with SIGKILL mid-run (Postgres: the API and two worker processes share it)', () => {
  let stack: TestStack
  const workers: WxpushProcess[] = []

  beforeAll(async () => {
    // This process serves the API only; the sending is done by separate worker processes.
    stack = await startTestStack({ kind: 'postgres', env: { WXPUSH_ROLE: 'api' } })
  })
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGKILL')
    await stack?.close()
  })

  it('loses nothing and duplicates at most the in-flight sends', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const users = await seedUsersWithCredits(stack, { users: USERS, templateId, credits: PER_USER })
    // The simulator allows each user more sends than wxpush counts, so that a duplicate caused by the
    // crash shows up in the inbox instead of being refused with 43101.
    for (const u of stack.simulator.world.apps.get(stack.appId)!.users.values()) {
      const c = u.consents.get(templateId)
      if (c) c.credits = PER_USER * 2
    }

    const ids: string[] = []
    const jobs = users.flatMap((u) => Array.from({ length: PER_USER }, () => u.openid))
    for (let i = 0; i < jobs.length; i += 64) {
      const batch = await Promise.all(
        jobs.slice(i, i + 64).map((openid) =>
          stack.api<{ id: string }>('POST', '/v1/messages', {
            to: { openid },
            template: templateId,
            data: ORDER_DATA,
          }),
        ),
      )
      for (const r of batch) {
        expect(r.status).toBe(202)
        ids.push(r.body.id)
      }
    }
    expect(ids).toHaveLength(TOTAL)

    const env = {
      ...stack.database.env,
      WXPUSH_MODE: 'dev',
      WXPUSH_ROLE: 'worker',
      WXPUSH_WECHAT_BASE_URL: stack.simulatorUrl,
      WXPUSH_DISPATCH_CONCURRENCY: String(CONCURRENCY),
      WXPUSH_LEASE_MS: '3000',
      WXPUSH_LOG_LEVEL: 'warn',
    }
    const first = await spawnWxpush(env)
    workers.push(first)
    const sentCalls = async () =>
      (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
        .calls[SEND]?.total ?? 0
    await eventually(
      async () => ((await sentCalls()) >= TOTAL / 3 ? true : undefined),
      60_000,
      'a third of the sends',
    )
    await first.kill('SIGKILL')
    const atKill = await sentCalls()
    expect(atKill).toBeLessThan(TOTAL)

    workers.push(await spawnWxpush(env))
    const db = stack.wxpush.services.db
    const counts = await messagesSettled(db, 90_000)
    expect(counts).toEqual({ sent: TOTAL })

    // The ledger: every user spent exactly their 10 credits, one per sent message.
    const ledger = await sql<{ used: number; credits: number }>`
      SELECT sum(used)::int AS used, sum(greatest(reported, confirmed) - used)::int AS credits FROM consents`.execute(
      db,
    )
    expect(ledger.rows[0]).toEqual({ used: TOTAL, credits: 0 })

    let delivered = 0
    for (const u of users) {
      delivered += (
        await stack.control<unknown[]>(
          `/control/apps/${stack.appId}/users/${u.openid}/inbox`,
          undefined,
          'GET',
        )
      ).length
    }
    const duplicates = delivered - TOTAL
    expect(duplicates).toBeGreaterThanOrEqual(0)
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY)
    console.log(
      `crash test: ${atKill} sends before SIGKILL, ${delivered} delivered for ${TOTAL} messages, ${duplicates} duplicates (in flight ≤ ${CONCURRENCY})`,
    )
  })
})

describe('the embedded database killed with its process (PGlite: SIGKILL, then a restart on the same folder)', () => {
  let stack: TestStack
  const procs: WxpushProcess[] = []

  beforeAll(async () => {
    // The test process only seeds; then the folder belongs to the wxpush processes started below.
    stack = await startTestStack({ kind: 'pglite', env: { WXPUSH_ROLE: 'api' } })
  })
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL')
    await stack?.close()
  })

  it('recovers the folder and ends every accepted message sent', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const users = await seedUsersWithCredits(stack, { users: USERS, templateId, credits: PER_USER })
    for (const u of stack.simulator.world.apps.get(stack.appId)!.users.values()) {
      const c = u.consents.get(templateId)
      if (c) c.credits = PER_USER * 2
    }
    await stack.wxpush.stop()
    const env = {
      ...stack.database.env,
      WXPUSH_MODE: 'dev',
      WXPUSH_PORT: '0',
      WXPUSH_WECHAT_BASE_URL: stack.simulatorUrl,
      WXPUSH_DISPATCH_CONCURRENCY: String(CONCURRENCY),
      WXPUSH_LEASE_MS: '3000',
      WXPUSH_LOG_LEVEL: 'warn',
    }
    const call = (base: string, method: string, path: string, body?: unknown) =>
      fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${stack.apiKey}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })

    // 1. Accept everything first (API only), so that the kill cannot catch a POST half answered.
    const api = await spawnWxpush({ ...env, WXPUSH_ROLE: 'api' })
    procs.push(api)
    const jobs = users.flatMap((u) => Array.from({ length: PER_USER }, () => u.openid))
    for (let i = 0; i < jobs.length; i += 64) {
      const codes = await Promise.all(
        jobs.slice(i, i + 64).map(
          async (openid) =>
            (
              await call(api.apiUrl, 'POST', '/v1/messages', {
                to: { openid },
                template: templateId,
                data: ORDER_DATA,
              })
            ).status,
        ),
      )
      expect(codes.every((c) => c === 202)).toBe(true)
    }
    await api.kill('SIGTERM')

    // 2. Send, and SIGKILL the process (and with it the database) a third of the way.
    const first = await spawnWxpush({ ...env, WXPUSH_ROLE: 'all' })
    procs.push(first)
    const sentCalls = async () =>
      (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
        .calls[SEND]?.total ?? 0
    await eventually(
      async () => ((await sentCalls()) >= TOTAL / 3 ? true : undefined),
      60_000,
      'a third of the sends',
    )
    await first.kill('SIGKILL')
    const atKill = await sentCalls()
    expect(atKill).toBeLessThan(TOTAL)

    // 3. Start again on the same folder and wait until nothing is queued or in flight.
    const second = await spawnWxpush({ ...env, WXPUSH_ROLE: 'all' })
    procs.push(second)
    await eventually(
      async () => {
        const open = await Promise.all(
          ['queued', 'sending'].map(
            async (s) =>
              (
                (await (await call(second.apiUrl, 'GET', `/v1/messages?status=${s}&limit=1`)).json()) as {
                  items: unknown[]
                }
              ).items.length,
          ),
        )
        return open.every((n) => n === 0) ? true : undefined
      },
      90_000,
      'every message to finish after the restart',
    )
    await second.kill('SIGTERM')

    const check = await openDb({ dataDir: `${stack.database.dataDir}/pglite` })
    const counts = await sql<{
      status: string
      n: number
    }>`SELECT status, count(*)::int AS n FROM messages GROUP BY status`.execute(check.db)
    const ledger = await sql<{ used: number; credits: number }>`
      SELECT sum(used)::int AS used, sum(greatest(reported, confirmed) - used)::int AS credits FROM consents`.execute(
      check.db,
    )
    await check.close()
    expect(Object.fromEntries(counts.rows.map((r) => [r.status, r.n]))).toEqual({ sent: TOTAL })
    expect(ledger.rows[0]).toEqual({ used: TOTAL, credits: 0 })

    let delivered = 0
    for (const u of users)
      delivered += (
        await stack.control<unknown[]>(
          `/control/apps/${stack.appId}/users/${u.openid}/inbox`,
          undefined,
          'GET',
        )
      ).length
    const duplicates = delivered - TOTAL
    expect(duplicates).toBeGreaterThanOrEqual(0)
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY)
    console.log(
      `PGlite crash test: ${atKill} sends before SIGKILL, ${delivered} delivered for ${TOTAL} messages, ${duplicates} duplicates`,
    )
  })
})
