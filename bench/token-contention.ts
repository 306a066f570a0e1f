// bench:token — 8 wxpush processes on one Postgres share one access_token.
//
//   phase 1 (cold): no token anywhere; 10 000 POST /v1/messages spread over the 8 processes
//                   → the simulator must see exactly one /cgi-bin/stable_token call.
//   phase 2:        10 000 more; when ~30 % of them are sent, the simulator invalidates the app's
//                   token (POST /control/apps/:appid/tokens/invalidate): in-flight sends get 40001
//                   → exactly one more stable_token call, zero failed messages.
//
// Seeding (not measured) uses the fastest honest path: one in-process wxpush, the admin API to
// create the app, real logins, and POST /v1/consents through app.inject for the 20 000 accepts
// (the simulator gets the same taps through its control API). Its token is then deleted from the
// database and invalidated in the simulator, so the 8 processes start cold.
// Loopback only; everything it starts it stops; a global deadline ends it whatever happens.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Agent, request } from 'undici'
import { startWxpush } from '../packages/server/src/main.ts'
import { createTestDatabase } from '../packages/server/src/testing/test-db.ts'
import { ORDER_DATA, ORDER_TEMPLATE } from '../packages/server/src/testing/test-users.ts'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const PROCESSES = 8
const PER_PHASE = 10_000
const USERS = 200
const TEMPLATES = 5 // one subscribe popup carries up to 5 templates
const ROUNDS = (2 * PER_PHASE) / (USERS * TEMPLATES) // accepts per user and template: 20
const CONCURRENCY = 64
const INVALIDATE_AT = 0.3
const STABLE = '/cgi-bin/stable_token'
const DEADLINE_MS = 15 * 60_000
const DATA = ORDER_DATA

const children: ChildProcess[] = []
const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 })
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`)

/** Starts `node --import tsx <cli> …` and resolves with the first URL it prints. */
function startChild(args: string[], env: Record<string, string>, name: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/wxpush.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  child.stderr.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening: ${out}`)))
  })
}

async function json<T>(method: string, url: string, body?: unknown, bearer?: string): Promise<T> {
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.body.text()
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${text}`)
  return JSON.parse(text) as T
}

async function pool<T>(n: number, items: T[], work: (item: T, i: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++
        await work(items[i]!, i)
      }
    }),
  )
}

async function main() {
  const deadline = setTimeout(() => {
    console.error('bench: deadline passed, stopping / 超时，停止')
    for (const c of children) c.kill('SIGKILL')
    process.exit(1)
  }, DEADLINE_MS)
  const database = await createTestDatabase('postgres')
  const masterKey = randomBytes(32).toString('base64')
  const adminKey = `adm_${randomBytes(24).toString('base64url')}`
  let ok = false
  try {
    const sim = await startChild(['simulator', '--port', '0', '--no-callbacks'], {}, 'simulator')
    type Stats = { calls: Record<string, { total: number; errcodes: Record<string, number> }> }
    const stableCalls = async () =>
      (await json<Stats>('GET', `${sim}/control/stats`)).calls[STABLE]?.total ?? 0
    const env = {
      DATABASE_URL: database.env.DATABASE_URL!,
      WXPUSH_DATA_DIR: database.dataDir,
      WXPUSH_MASTER_KEY: masterKey,
      WXPUSH_ADMIN_KEY: adminKey,
      WXPUSH_WECHAT_BASE_URL: sim,
      WXPUSH_LOG_LEVEL: 'warn',
      WXPUSH_PORT: '0',
      WXPUSH_DB_POOL_SIZE: '4', // 8 × 4 = 32 connections: room left on a shared Postgres
      WXPUSH_LOGIN_RATE_PER_MIN: '100000',
    }

    // ---- seeding (one in-process wxpush) ----
    log('seeding: app, templates, users, 20 000 accepts')
    const control = <T>(path: string, body: unknown = {}) => json<T>('POST', `${sim}/control${path}`, body)
    const simApp = await control<{ appid: string; secret: string }>('/apps')
    const appId = simApp.appid
    const seeder = await startWxpush({ env: { ...env, WXPUSH_ROLE: 'api' }, listen: false })
    const inject = async <T>(method: string, url: string, payload: unknown, bearer: string) => {
      const r = await seeder.app.inject({
        method: method as 'POST',
        url,
        payload: payload as Record<string, unknown>,
        headers: { authorization: `Bearer ${bearer}` },
      })
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`)
      return r.json<T>()
    }
    const created = await inject<{ apiKey: { key: string } }>(
      'POST',
      '/v1/admin/apps',
      { appId, secret: simApp.secret },
      adminKey,
    )
    const apiKey = created.apiKey.key
    const templateIds: string[] = []
    for (let t = 0; t < TEMPLATES; t++) {
      const title = `${ORDER_TEMPLATE.title}${t}`
      const { keywords } = ORDER_TEMPLATE
      const { priTmplId } = await control<{ priTmplId: string }>(`/apps/${appId}/templates`, {
        title,
        type: 2,
        keywords,
      })
      templateIds.push(priTmplId)
    }
    await seeder.services.templates.sync(appId)
    const users: { openid: string; userId: string }[] = []
    await pool(16, Array.from({ length: USERS }), async () => {
      const { openid } = await control<{ openid: string }>(`/apps/${appId}/users`)
      const { code } = await control<{ code: string }>(`/apps/${appId}/users/${openid}/login`)
      const r = await seeder.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { appId, code } })
      const session = r.json<{ token: string; userId: string }>()
      users.push({ openid, userId: session.userId })
      const results = Object.fromEntries(templateIds.map((id) => [id, 'accept']))
      for (let k = 0; k < ROUNDS; k++) {
        await control(`/apps/${appId}/users/${openid}/subscribe`, { results })
        await inject('POST', '/v1/consents', { results }, session.token)
      }
    })
    await seeder.stop()
    // Cold: no stored token, the seeder's token dead in "WeChat", stats from zero.
    const sql = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 })
    await sql.query('DELETE FROM access_tokens')
    await control(`/apps/${appId}/tokens/invalidate`)
    await json('DELETE', `${sim}/control/stats`)

    // ---- 8 cold processes ----
    log(`starting ${PROCESSES} wxpush processes (WXPUSH_ROLE=all) on one Postgres`)
    const urls = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        startChild(['serve'], { ...env, WXPUSH_ROLE: 'all' }, `wxpush${i}`),
      ),
    )
    const counts = async (ids: Set<string> | null) => {
      const r = await sql.query<{ status: string; n: string }>(
        ids === null
          ? 'SELECT status, count(*) AS n FROM messages GROUP BY status'
          : 'SELECT status, count(*) AS n FROM messages WHERE id = ANY($1) GROUP BY status',
        ids === null ? [] : [[...ids]],
      )
      const c: Record<string, number> = {}
      for (const row of r.rows) c[row.status] = Number(row.n)
      return c
    }

    async function phase(offset: number, during?: (sent: () => Promise<number>) => Promise<void>) {
      const ids = new Set<string>()
      const started = performance.now()
      const firing = pool(CONCURRENCY, Array.from({ length: PER_PHASE }), async (_, i) => {
        const n = offset + i
        const user = users[n % USERS]!
        const body = {
          to: { userId: user.userId },
          template: templateIds[Math.floor(n / USERS) % TEMPLATES],
          data: DATA,
        }
        const r = await json<{ id: string }>('POST', `${urls[n % PROCESSES]}/v1/messages`, body, apiKey)
        ids.add(r.id)
      })
      const sentOf = async () => {
        const c = await counts(null)
        return (c.sent ?? 0) + (c.delivered ?? 0) - offset
      }
      const side = during ? during(sentOf) : Promise.resolve()
      await firing
      await side
      for (;;) {
        const c = await counts(ids)
        const done = (c.sent ?? 0) + (c.delivered ?? 0) + (c.failed ?? 0) + (c.cancelled ?? 0)
        if (done >= PER_PHASE) {
          const durationMs = Math.round(performance.now() - started)
          return { durationMs, sent: (c.sent ?? 0) + (c.delivered ?? 0), failed: c.failed ?? 0 }
        }
        await new Promise((r) => setTimeout(r, 200))
      }
    }

    log('phase 1: 10 000 sends from cold')
    const p1 = await phase(0)
    const tokenFetchesColdStart = await stableCalls()
    log(`phase 1: ${JSON.stringify(p1)}, stable_token calls ${tokenFetchesColdStart}`)

    log('phase 2: 10 000 sends, token invalidated mid-run')
    let invalidatedAfterSent = 0
    const p2 = await phase(PER_PHASE, async (sentSoFar) => {
      for (;;) {
        const s = await sentSoFar()
        if (s >= PER_PHASE * INVALIDATE_AT) {
          invalidatedAfterSent = s
          await control(`/apps/${appId}/tokens/invalidate`)
          return
        }
        await new Promise((r) => setTimeout(r, 20))
      }
    })
    const stats = await json<Stats>('GET', `${sim}/control/stats`)
    const refreshesAfterInvalidation = (stats.calls[STABLE]?.total ?? 0) - tokenFetchesColdStart
    const sendErrcodes = stats.calls['/cgi-bin/message/subscribe/send']?.errcodes ?? {}
    log(`phase 2: ${JSON.stringify(p2)}, refreshes after invalidation ${refreshesAfterInvalidation}`)

    const durationMs = p1.durationMs + p2.durationMs
    const result = {
      tokenFetchesColdStart,
      refreshesAfterInvalidation,
      sent: p1.sent + p2.sent,
      failed: p1.failed + p2.failed,
      durationMs,
      msgsPerSec: Math.round(((p1.sent + p2.sent) / durationMs) * 1000),
      phases: {
        coldStart: { ...p1, msgsPerSec: Math.round((p1.sent / p1.durationMs) * 1000) },
        invalidation: {
          ...p2,
          msgsPerSec: Math.round((p2.sent / p2.durationMs) * 1000),
          invalidatedAfterSent,
          sendsRefusedWith40001: sendErrcodes['40001'] ?? 0,
        },
      },
      // 8 × (API + dispatcher, 64 sends in flight, 4 DB connections) on a 2-core machine shared with
      // other work: the figures are about token contention, not peak throughput.
      setup: { processes: PROCESSES, users: USERS, templates: TEMPLATES, clientConcurrency: CONCURRENCY },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', node: process.version },
      at: new Date().toISOString(),
    }
    console.log(JSON.stringify(result, null, 2))
    mkdirSync(`${ROOT}bench/results`, { recursive: true })
    writeFileSync(`${ROOT}bench/results/token-contention.json`, JSON.stringify(result, null, 2) + '\n')
    await sql.end()
    ok = result.tokenFetchesColdStart === 1 && result.refreshesAfterInvalidation === 1 && result.failed === 0
    if (!ok) console.error('bench: expectations not met / 未达预期')
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref()
          }),
      ),
    )
    await agent.close()
    await database.drop(false)
    clearTimeout(deadline)
  }
  process.exitCode = ok ? 0 : 1
}

await main()
