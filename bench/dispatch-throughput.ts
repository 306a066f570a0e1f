// npm run bench:dispatch [-- --n 50000 --c 64 --db postgres,pglite]
//
// N messages to N/10 simulated users with 10 one-time credits each, POSTed to wxpush at concurrency C;
// the clock runs from the first POST to the moment the last message is recorded `sent` (max(sent_at)).
// The simulator runs in its own process, wxpush in another, this client in a third. In the same run,
// the raw limit: N bodies POSTed by undici straight to the simulator's send endpoint at concurrency C.
// Writes bench/results/dispatch.json. Loopback only.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
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

async function setupSimApp(sim: string) {
  const { appid, secret } = await control<{ appid: string; secret: string }>(sim, '/control/apps')
  const { priTmplId } = await control<{ priTmplId: string }>(sim, `/control/apps/${appid}/templates`, {
    title: '订单状态通知',
    type: 2,
    keywords: KEYWORDS,
  })
  const { openids } = await control<{ openids: string[] }>(sim, `/control/apps/${appid}/users/bulk`, {
    count: Math.ceil(N / 10),
    credits: { [priTmplId]: 10 },
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

async function pipeline(sim: string, kind: 'postgres' | 'pglite') {
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
          reported: 10,
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
  const api = new Pool(server.apiUrl, { connections: C, pipelining: 1 })
  let accepted = 0
  const t0 = Date.now()
  await pool(N, C, async (i) => {
    const res = await api.request({
      path: '/v1/messages',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        to: { openid: openids[i % openids.length] },
        template: priTmplId,
        data: DATA,
        page: 'pages/index/index',
      }),
    })
    await res.body.dump()
    if (res.statusCode === 202) accepted++
  })
  const postSeconds = (Date.now() - t0) / 1000
  // Done when the metrics say every message reached a final status.
  for (;;) {
    const res = await api.request({ path: '/metrics', method: 'GET' })
    const text = await res.body.text()
    const finished = [
      ...text.matchAll(/^wxpush_messages_total\{status="(sent|failed)"[^}]*\} (\d+)/gm),
    ].reduce((a, m) => a + Number(m[2]), 0)
    if (finished >= accepted) break
    await sleep(100)
  }
  await api.close()
  await server.kill('SIGTERM')

  const check = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: `${env.WXPUSH_DATA_DIR}/pglite` })
  const r = await sql<{ status: string; n: number; last: Date | null }>`
    SELECT status, count(*)::int AS n, max(sent_at) AS last FROM messages GROUP BY status`.execute(check.db)
  // Postgres's own counters for this database: what one message costs it (transactions, rows).
  let perMessage: Record<string, number> | undefined
  if (kind === 'postgres') {
    const st = await sql<{
      xact_commit: string
      tup_inserted: string
      tup_updated: string
      tup_fetched: string
    }>`
      SELECT xact_commit, tup_inserted, tup_updated, tup_fetched FROM pg_stat_database WHERE datname = current_database()`.execute(
      check.db,
    )
    const row = st.rows[0]
    if (row)
      perMessage = Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, Number((Number(v) / N).toFixed(2))]),
      )
  }
  await check.close()
  await db.drop()
  const sent = r.rows.find((x) => x.status === 'sent')
  if (!sent?.last || sent.n !== N || accepted !== N)
    throw new Error(`${kind}: ${accepted} accepted, ${JSON.stringify(r.rows)}`)
  const seconds = (sent.last.getTime() - t0) / 1000
  return {
    msgsPerSec: Math.round(N / seconds),
    seconds: Number(seconds.toFixed(2)),
    postPhaseSeconds: Number(postSeconds.toFixed(2)),
    ...(perMessage ? { postgresPerMessage: perMessage } : {}),
  }
}

const sim = await startSimulatorProcess(0)
const results: Record<string, unknown> = {}
try {
  for (const kind of KINDS) {
    const rawMsgsPerSec = Math.round(await raw(sim.url))
    const p = await pipeline(sim.url, kind)
    results[kind] = { ...p, rawMsgsPerSec, ratio: Number((p.msgsPerSec / rawMsgsPerSec).toFixed(3)) }
    console.log(
      `${kind}: ${p.msgsPerSec} msgs/s through wxpush (${p.seconds} s), raw ${rawMsgsPerSec} msgs/s, ratio ${(p.msgsPerSec / rawMsgsPerSec).toFixed(3)}`,
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
