// kill -9 in the middle of 5 000 sends, start again: every message ends terminal, none is lost, the
// ledger agrees, and the duplicates are at most what was in flight at the kill.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../src/db/db.ts'
import { spawnWxpush, type WxpushProcess } from '../src/testing/test-process.ts'
import { eventually, messagesSettled, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
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

/** USERS users with PER_USER credits each in wxpush's ledger. */
async function seed(stack: TestStack) {
  const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  const users = await seedUsersWithCredits(stack, { users: USERS, templateId, credits: PER_USER })
  // The simulator allows each user more sends than wxpush counts, so that a duplicate caused by the
  // crash shows up in the inbox instead of being refused with 43101.
  for (const u of stack.simulator.world.apps.get(stack.appId)!.users.values()) {
    const c = u.consents.get(templateId)
    if (c) c.credits = PER_USER * 2
  }
  return { templateId, users }
}

/** POSTs PER_USER messages for every user, 64 at a time, each expected to answer 202. */
async function enqueueAll(p: {
  apiUrl: string
  apiKey: string
  templateId: string
  users: { openid: string }[]
}) {
  const jobs = p.users.flatMap((u) => Array.from({ length: PER_USER }, () => u.openid))
  for (let i = 0; i < jobs.length; i += 64) {
    const codes = await Promise.all(
      jobs.slice(i, i + 64).map(async (openid) => {
        const res = await fetch(`${p.apiUrl}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: { openid }, template: p.templateId, data: ORDER_DATA }),
        })
        return res.status
      }),
    )
    expect(codes.every((c) => c === 202)).toBe(true)
  }
}

const workerEnv = (stack: TestStack, role: string) => ({
  ...stack.database.env,
  WXPUSH_MODE: 'dev',
  WXPUSH_ROLE: role,
  WXPUSH_PORT: '0',
  WXPUSH_WECHAT_BASE_URL: stack.simulatorUrl,
  WXPUSH_DISPATCH_CONCURRENCY: String(CONCURRENCY),
  WXPUSH_LEASE_MS: '3000',
  WXPUSH_LOG_LEVEL: 'warn',
})

const sendCalls = async (stack: TestStack) =>
  (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
    .calls[SEND]?.total ?? 0

/** Starts `proc`, waits for a third of the sends, kills it with SIGKILL; answers the sends made. */
async function killAThirdOfTheWay(stack: TestStack, proc: WxpushProcess): Promise<number> {
  await eventually(
    async () => ((await sendCalls(stack)) >= TOTAL / 3 ? true : undefined),
    60_000,
    'a third of the sends',
  )
  await proc.kill('SIGKILL')
  const atKill = await sendCalls(stack)
  expect(atKill).toBeLessThan(TOTAL)
  return atKill
}

/** Every message sent once in wxpush's books, every credit spent, duplicates within the bound. */
async function expectNothingLost(
  stack: TestStack,
  db: Db,
  users: { openid: string }[],
  label: string,
  atKill: number,
) {
  const counts = await sql<{
    status: string
    n: number
  }>`SELECT status, count(*)::int AS n FROM messages GROUP BY status`.execute(db)
  expect(Object.fromEntries(counts.rows.map((r) => [r.status, r.n]))).toEqual({ sent: TOTAL })
  const ledger = await sql<{ used: number; credits: number }>`
    SELECT sum(used)::int AS used, sum(greatest(reported, confirmed) - used)::int AS credits FROM consents`.execute(
    db,
  )
  expect(ledger.rows[0]).toEqual({ used: TOTAL, credits: 0 })

  let delivered = 0
  for (const u of users) {
    delivered += (
      await stack.control<unknown[]>(`/control/apps/${stack.appId}/users/${u.openid}/inbox`, undefined, 'GET')
    ).length
  }
  const duplicates = delivered - TOTAL
  expect(duplicates).toBeGreaterThanOrEqual(0)
  expect(duplicates).toBeLessThanOrEqual(CONCURRENCY)
  console.log(
    `${label}: ${atKill} sends before SIGKILL, ${delivered} delivered for ${TOTAL} messages, ${duplicates} duplicates (in flight ≤ ${CONCURRENCY})`,
  )
}

describe('a worker killed with SIGKILL mid-run (Postgres: the API and two worker processes share it)', () => {
  let stack: TestStack
  const procs: WxpushProcess[] = []

  beforeAll(async () => {
    // This process serves the API only; the sending is done by separate worker processes.
    stack = await startTestStack({ kind: 'postgres', env: { WXPUSH_ROLE: 'api' } })
  })
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL')
    await stack?.close()
  })

  it('loses nothing and duplicates at most the in-flight sends', async () => {
    const { templateId, users } = await seed(stack)
    await enqueueAll({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, templateId, users })

    const first = await spawnWxpush(workerEnv(stack, 'worker'))
    procs.push(first)
    const atKill = await killAThirdOfTheWay(stack, first)

    procs.push(await spawnWxpush(workerEnv(stack, 'worker')))
    await messagesSettled(stack.wxpush.services.db, 90_000)
    await expectNothingLost(stack, stack.wxpush.services.db, users, 'Postgres crash test', atKill)
  }, 300_000) // three processes and 90 s of waiting at most; see vitest.config.ts
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
    const { templateId, users } = await seed(stack)
    await stack.wxpush.stop()

    // 1. Accept everything first (API only), so that the kill cannot catch a POST half answered.
    const api = await spawnWxpush(workerEnv(stack, 'api'))
    procs.push(api)
    await enqueueAll({ apiUrl: api.apiUrl, apiKey: stack.apiKey, templateId, users })
    await api.kill('SIGTERM')

    // 2. Send, and SIGKILL the process (and with it the database) a third of the way.
    const first = await spawnWxpush(workerEnv(stack, 'all'))
    procs.push(first)
    const atKill = await killAThirdOfTheWay(stack, first)

    // 3. Start again on the same folder, let it finish, stop it, and read the folder ourselves.
    const second = await spawnWxpush(workerEnv(stack, 'all'))
    procs.push(second)
    const openCount = async (status: string) => {
      const res = await fetch(`${second.apiUrl}/v1/messages?status=${status}&limit=1`, {
        headers: { authorization: `Bearer ${stack.apiKey}` },
      })
      return ((await res.json()) as { items: unknown[] }).items.length
    }
    await eventually(
      async () => ((await openCount('queued')) + (await openCount('sending')) === 0 ? true : undefined),
      90_000,
      'every message to finish after the restart',
    )
    await second.kill('SIGTERM')

    const check = await openDb({ dataDir: `${stack.database.dataDir}/pglite` })
    try {
      await expectNothingLost(stack, check.db, users, 'PGlite crash test', atKill)
    } finally {
      await check.close()
    }
  }, 300_000) // 24 s alone (issue 10), four process starts; see vitest.config.ts
})
