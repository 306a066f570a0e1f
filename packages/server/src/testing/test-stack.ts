// The whole stack for flow tests: the simulator on port 0 and wxpush on port 0, talking real HTTP,
// on a fresh database of the given kind. Nothing is mocked.
import { createSimulator, type Simulator } from '@wxpush/simulator'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { sql } from 'kysely'
import type { Db, DbKind } from '../db/db.ts'
import { startWxpush, type Running } from '../main.ts'
import { createTestDatabase, type TestDatabase } from './test-db.ts'

export interface TestStack {
  kind: DbKind
  simulator: Simulator
  simulatorUrl: string
  wxpush: Running
  apiUrl: string
  database: TestDatabase
  appId: string
  apiKey: string
  /** fetch against the wxpush API with the app's key; answers {status, body}. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>
  /** POST to the simulator's control API. */
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>
  close(failed?: boolean): Promise<void>
}

export async function startTestStack(p: {
  kind: DbKind
  env?: Record<string, string>
  appId?: string
  /** Another Postgres server to create the test database on (default: WXPUSH_TEST_DATABASE_URL). */
  adminUrl?: string
}): Promise<TestStack> {
  const database = await createTestDatabase(p.kind, p.adminUrl)
  const simulator = createSimulator()
  const simulatorUrl = await simulator.listen()
  const wxpush = await startWxpush({
    env: {
      WXPUSH_MODE: 'dev',
      WXPUSH_PORT: '0',
      WXPUSH_LOG_LEVEL: 'silent',
      WXPUSH_WECHAT_BASE_URL: simulatorUrl,
      WXPUSH_DISPATCH_POLL_MS: '50',
      WXPUSH_CHECK_RESPONSES: 'true',
      ...database.env,
      ...p.env,
    },
  })

  const control = async <T>(path: string, body: unknown = {}, method = 'POST'): Promise<T> => {
    const res = await fetch(simulatorUrl + path, {
      method,
      ...(method === 'GET'
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  const { appid, secret } = await control<{ appid: string; secret: string }>(
    '/control/apps',
    p.appId ? { appid: p.appId } : {},
  )
  await wxpush.services.apps.createApp({ appId: appid, secret, tokenMode: 'stable' })
  const { apiKey } = await wxpush.services.apps.issueApiKey(appid)

  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(wxpush.apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
  }

  return {
    kind: p.kind,
    simulator,
    simulatorUrl,
    wxpush,
    apiUrl: wxpush.apiUrl,
    database,
    appId: appid,
    apiKey,
    api,
    control,
    async close(failed = false) {
      await wxpush.stop()
      await simulator.close()
      await database.drop(failed)
    },
  }
}

/**
 * A stack for the enclosing describe(): started before its tests, closed after them, its database
 * kept (and named) when one of them failed. The answer stands for the stack from the first test on.
 */
export function useTestStack(p: Parameters<typeof startTestStack>[0]): TestStack {
  let stack: TestStack | undefined
  let failed = false
  beforeAll(async () => {
    stack = await startTestStack(p)
  })
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true
  })
  afterAll(async () => {
    await stack?.close(failed)
  })
  return new Proxy({} as TestStack, {
    get(_target, key) {
      if (!stack) throw new Error('the test stack is used before beforeAll started it')
      return stack[key as keyof TestStack]
    },
  })
}

/** Waits until no message is queued, scheduled or sending; answers the count of each final status. */
export async function messagesSettled(db: Db, timeoutMs: number): Promise<Record<string, number>> {
  return eventually(
    async () => {
      const r = await sql<{
        status: string
        n: number
      }>`SELECT status, count(*)::int AS n FROM messages GROUP BY status`.execute(db)
      const open = r.rows
        .filter((x) => ['queued', 'scheduled', 'sending'].includes(x.status))
        .reduce((a, x) => a + x.n, 0)
      return open === 0 ? Object.fromEntries(r.rows.map((x) => [x.status, x.n])) : undefined
    },
    timeoutMs,
    'every message to reach a final status',
  )
}

/** Polls until `check` returns a value (not undefined), or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
