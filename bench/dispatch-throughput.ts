// npm run bench:dispatch [-- --n 50000 --c 64 --db postgres,pglite]
//
// N messages to N/10 simulated users with one-time credits, sent through wxpush two ways, each into a
// fresh database: `single`, N POST /v1/messages at concurrency C; `batch`, POST /v1/messages/batch
// with 1 000 messages a request (4 requests at a time), and meanwhile, while the dispatcher drains
// them, a probe of single POSTs at concurrency 4 whose latency is the "accept p99 while draining".
// The clock runs from the first POST to the moment the last message is recorded `sent` (max(sent_at)).
// The simulator runs in its own process, wxpush in another, this client in a third. In the same run,
// the raw limit: N bodies POSTed by undici straight to the simulator's send endpoint at concurrency C,
// and co-wechat-api's own send loop (no durability) through the same simulator at concurrency C.
// Postgres's counters (pg_stat_database) are taken over the timed phase only: commits, rows and
// buffer pages per message. Writes bench/results/dispatch.json; bench/README.md reads it. Loopback only.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { Pool } from 'undici'
import { openDb } from '../packages/server/src/db/db.ts'
import { startWxpush } from '../packages/server/src/main.ts'
import { spawnWxpush } from '../packages/server/src/testing/test-process.ts'
import { ORDER_DATA, ORDER_TEMPLATE } from '../packages/server/src/testing/test-users.ts'
import { arg, control, freshDb, machine, pool, startSimulatorProcess, writeResult } from './bench.support.ts'

const N = Number(arg('n', '50000'))
const C = Number(arg('c', '64'))
const KINDS = arg('db', 'postgres,pglite').split(',') as ('postgres' | 'pglite')[]
const KEYWORDS = ORDER_TEMPLATE.keywords
const DATA = ORDER_DATA
const BATCH = 1000
const BATCH_C = 4
const PROBE = Math.max(100, Math.floor(N / 50))
const PROBE_C = 4
// Enough credits for the N messages and the probe.
const CREDITS = 10 + Math.ceil((PROBE * 10) / N)

async function setupSimApp(sim: string) {
  const { appid, secret } = await control<{ appid: string; secret: string }>(sim, '/control/apps')
  const { priTmplId } = await control<{ priTmplId: string }>(sim, `/control/apps/${appid}/templates`, {
    title: '订单状态通知',
    type: 2,
    keywords: KEYWORDS,
  })
  const { openids } = await control<{ openids: string[] }>(sim, `/control/apps/${appid}/users/bulk`, {
    count: Math.ceil(N / 10),
    credits: { [priTmplId]: CREDITS },
  })
  return { appid, secret, priTmplId, openids }
}

async function raw(sim: string): Promise<number> {
  const { appid, secret, priTmplId, openids } = await setupSimApp(sim)
  const client = new Pool(sim, { connections: C, pipelining: 1 })
  const tok = await client.request({
    path: '/cgi-bin/stable_token',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid, secret }),
  })
  const { access_token } = (await tok.body.json()) as { access_token: string }
  let ok = 0
  const t0 = performance.now()
  await pool(N, C, async (i) => {
    const body = JSON.stringify({
      touser: openids[i % openids.length],
      template_id: priTmplId,
      page: 'pages/index/index',
      data: Object.fromEntries(Object.entries(DATA).map(([k, value]) => [k, { value }])),
    })
    const res = await client.request({
      path: `/cgi-bin/message/subscribe/send?access_token=${access_token}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    const text = await res.body.text()
    if (text.startsWith('{"errcode":0')) ok++
  })
  const seconds = (performance.now() - t0) / 1000
  await client.close()
  if (ok !== N) throw new Error(`raw run: ${ok} of ${N} accepted`)
  return N / seconds
}

/** What a team would otherwise write: co-wechat-api's sendSubscribeMessage in a loop, nothing kept. */
async function coWechatApi(sim: string): Promise<number> {
  const { appid, secret, priTmplId, openids } = await setupSimApp(sim)
  const { default: API } = await import('co-wechat-api')
  const api = new API(appid, secret)
  api.prefix = `${sim}/cgi-bin/` // loopback: the simulator, never WeChat
  await api.ensureAccessToken()
  const data = Object.fromEntries(Object.entries(DATA).map(([k, value]) => [k, { value }]))
  const t0 = performance.now()
  await pool(N, C, async (i) => {
    await api.sendSubscribeMessage(openids[i % openids.length]!, priTmplId, 'pages/index/index', data)
  })
  return N / ((performance.now() - t0) / 1000)
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

/** pg_stat_database's counters of one database, as numbers. */
async function pgCounters(url: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const r = await c.query<Record<string, string>>(`
      SELECT xact_commit, tup_inserted, tup_updated, tup_fetched, blks_hit + blks_read AS pages
        FROM pg_stat_database WHERE datname = current_database()`)
    return Object.fromEntries(Object.entries(r.rows[0] ?? {}).map(([k, v]) => [k, Number(v)]))
  } finally {
    await c.end()
  }
}

async function pipeline(sim: string, kind: 'postgres' | 'pglite', mode: 'single' | 'batch') {
  const db = await freshDb(kind)
  const env: Record<string, string> = {
    ...db.env,
    WXPUSH_MODE: 'production',
    WXPUSH_MASTER_KEY: randomBytes(32).toString('base64'),
    WXPUSH_WECHAT_BASE_URL: sim,
    WXPUSH_LOG_LEVEL: 'warn',
    WXPUSH_PORT: '0',
    WXPUSH_DISPATCH_CONCURRENCY: String(C),
    WXPUSH_DB_POOL_SIZE: '20',
  }
  // Setup through wxpush's own services (not timed): the app, its key, the template, users, credits.
  const { appid, secret, priTmplId, openids } = await setupSimApp(sim)
  const setup = await startWxpush({ env: { ...env, WXPUSH_ROLE: 'api' }, listen: false })
  await setup.services.apps.createApp({ appId: appid, secret, tokenMode: 'stable' })
  const { apiKey } = await setup.services.apps.issueApiKey(appid)
  await setup.services.templates.sync(appid)
  const sdb = setup.services.db
  const users: string[] = []
  for (const openid of openids)
    users.push((await setup.services.usersStore.ensureByOpenid(setup.services.db, appid, openid)).id)
  for (let i = 0; i < users.length; i += 1000) {
    await sdb
      .insertInto('consents')
      .values(
        users.slice(i, i + 1000).map((id) => ({
          app_id: appid,
          user_id: id,
          template_id: priTmplId,
          reported: CREDITS,
          status: 'accept' as const,
          source: 'miniprogram' as const,
        })),
      )
      .execute()
  }
  await setup.stop()

  // --profile DIR: a V8 CPU profile of the wxpush process (summarise with bench/profile-summary.ts).
  const profileDir = arg('profile', '')
  const server = await spawnWxpush(
    { ...env, WXPUSH_ROLE: 'all' },
    { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
  )
  const api = new Pool(server.apiUrl, { connections: C + PROBE_C, pipelining: 1 })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }
  const body = (i: number) => ({
    to: { openid: openids[i % openids.length] },
    template: priTmplId,
    data: DATA,
    page: 'pages/index/index',
  })
  let accepted = 0
  const latencies: number[] = []
  const postOne = async (i: number) => {
    const started = performance.now()
    const res = await api.request({
      path: '/v1/messages',
      method: 'POST',
      headers,
      body: JSON.stringify(body(i)),
    })
    await res.body.dump()
    latencies.push(performance.now() - started)
    if (res.statusCode === 202) accepted++
  }
  const before = kind === 'postgres' ? await pgCounters(env.DATABASE_URL!) : undefined
  const t0 = Date.now()
  if (mode === 'single') await pool(N, C, postOne)
  else {
    await pool(Math.ceil(N / BATCH), BATCH_C, async (b) => {
      const items = Array.from({ length: Math.min(BATCH, N - b * BATCH) }, (_, j) => body(b * BATCH + j))
      const res = await api.request({
        path: '/v1/messages/batch',
        method: 'POST',
        headers,
        body: JSON.stringify({ messages: items }),
      })
      const r = (await res.body.json()) as { results: { id?: string }[] }
      accepted += r.results.filter((x) => x.id).length
    })
  }
  const postSeconds = (Date.now() - t0) / 1000
  // Accept latency while the dispatcher drains the backlog (batch mode: nothing else is posting).
  let probed = mode === 'single'
  const probing = mode === 'batch' ? pool(PROBE, PROBE_C, (i) => postOne(N + i)) : Promise.resolve()
  void probing.then(() => (probed = true))
  const total = mode === 'batch' ? N + PROBE : N
  // Done when the metrics say every message reached a final status.
  for (;;) {
    const res = await api.request({ path: '/metrics', method: 'GET' })
    const text = await res.body.text()
    const finished = [
      ...text.matchAll(/^wxpush_messages_total\{status="(sent|failed)"[^}]*\} (\d+)/gm),
    ].reduce((a, m) => a + Number(m[2]), 0)
    if (probed && finished >= accepted) break
    await sleep(100)
  }
  await probing
  await api.close()
  await server.kill('SIGTERM')

  const check = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: `${env.WXPUSH_DATA_DIR}/pglite` })
  const r = await sql<{ status: string; n: number; last: Date | null }>`
    SELECT status, count(*)::int AS n, max(sent_at) AS last FROM messages GROUP BY status`.execute(check.db)
  // Postgres's own counters for this database over the timed phase: what one message costs it.
  let perMessage: Record<string, number> | undefined
  if (before) {
    const after = await pgCounters(env.DATABASE_URL!)
    perMessage = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, Number(((v - (before[k] ?? 0)) / total).toFixed(2))]),
    )
  }
  await check.close()
  await db.drop()
  const sent = r.rows.find((x) => x.status === 'sent')
  if (!sent?.last || sent.n !== total || accepted !== total)
    throw new Error(`${kind} ${mode}: ${accepted} accepted, ${JSON.stringify(r.rows)}`)
  const seconds = (sent.last.getTime() - t0) / 1000
  return {
    msgsPerSec: Math.round(total / seconds),
    seconds: Number(seconds.toFixed(2)),
    postPhaseSeconds: Number(postSeconds.toFixed(2)),
    acceptMs: {
      p50: Number(quantile(latencies, 0.5).toFixed(1)),
      p99: Number(quantile(latencies, 0.99).toFixed(1)),
    },
    ...(perMessage ? { postgresPerMessage: perMessage } : {}),
  }
}

const sim = await startSimulatorProcess(0)
const results: Record<string, unknown> = {}
const ratio = (x: number, raw: number) => Number((x / raw).toFixed(3))
try {
  const raw0 = Math.round(await raw(sim.url))
  const co = Math.round(await coWechatApi(sim.url))
  results.coWechatApi = { msgsPerSec: co, rawMsgsPerSec: raw0, ratio: ratio(co, raw0) }
  console.log(`co-wechat-api loop: ${co} msgs/s, raw ${raw0} msgs/s, ratio ${ratio(co, raw0)}`)
  for (const kind of KINDS) {
    const rawMsgsPerSec = Math.round(await raw(sim.url))
    const p = await pipeline(sim.url, kind, 'single')
    const b = await pipeline(sim.url, kind, 'batch')
    results[kind] = {
      ...p,
      rawMsgsPerSec,
      ratio: ratio(p.msgsPerSec, rawMsgsPerSec),
      batch: {
        perRequest: BATCH,
        concurrency: BATCH_C,
        probe: PROBE,
        ...b,
        ratio: ratio(b.msgsPerSec, rawMsgsPerSec),
      },
    }
    console.log(
      `${kind}: single ${p.msgsPerSec} msgs/s (ratio ${ratio(p.msgsPerSec, rawMsgsPerSec)}, accept p99 ${p.acceptMs.p99} ms at C=${C}), ` +
        `batch ${b.msgsPerSec} msgs/s (ratio ${ratio(b.msgsPerSec, rawMsgsPerSec)}), ` +
        `accept p99 while draining ${b.acceptMs.p99} ms; raw ${rawMsgsPerSec} msgs/s`,
    )
  }
} finally {
  await sim.stop()
}
const file = writeResult('dispatch.json', {
  n: N,
  concurrency: C,
  ...results,
  machine: machine(),
  at: new Date().toISOString(),
})
console.log(`written to ${file}`)
