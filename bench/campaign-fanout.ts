// npm run bench:campaign [-- --fanout 1000000 --drain 100000 --c 64]
//
// On Postgres, with wxpush in its own process and the simulator in another:
//   fanout  a campaign to FANOUT users, once {consented: true} (expanded by INSERT … SELECT) and once
//           uploaded as a CSV stream; the clock runs from the POST to the moment no recipient is
//           pending (every one is a message or skipped). Sending is held back (ratePerSecond tiny)
//           so that only the fan-out is measured. Peak RSS of the wxpush process (VmHWM).
//   drain   a {consented: true} campaign of DRAIN users through the simulator, from the POST to
//           `completed`; beside it the raw replay of the same sends straight to the simulator.
//   single  single sends posted (10 a second) while the drain runs: p99 of created → sent.
// Writes bench/results/campaign.json. Loopback only.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { Pool } from 'undici'
import { startWxpush } from '../packages/server/src/main.ts'
import { spawnWxpush, type WxpushProcess } from '../packages/server/src/testing/test-process.ts'
import { arg, control, freshDb, machine, pool, startSimulatorProcess, writeResult } from './bench.support.ts'

const FANOUT = Number(arg('fanout', '1000000'))
const DRAIN = Number(arg('drain', '100000'))
const C = Number(arg('c', '64'))
const SINGLES = 200
const KEYWORDS = [
  { key: 'thing1', name: '商品名称' },
  { key: 'number2', name: '订单编号' },
]
const DATA = { thing1: '签到成功，散会后即可离开', number2: '42' }

const peakRssMB = (p: WxpushProcess) => {
  const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8')
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024)
}

async function api<T>(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const answer = (await res.json()) as T
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`)
  return answer
}

interface View {
  status: string
  counts: { recipients: number; pending: number; sent: number; skipped: number }
}

async function until(base: string, key: string, id: string, done: (v: View) => boolean) {
  for (;;) {
    const v = await api<View>(base, key, 'GET', `/v1/campaigns/${id}`)
    if (done(v)) return v
    await sleep(200)
  }
}

async function raw(sim: string, appid: string, secret: string, templateId: string, openids: string[]) {
  const client = new Pool(sim, { connections: C, pipelining: 1 })
  const tok = await client.request({
    path: '/cgi-bin/stable_token',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid, secret }),
  })
  const { access_token } = (await tok.body.json()) as { access_token: string }
  const t0 = performance.now()
  await pool(openids.length, C, async (i) => {
    const res = await client.request({
      path: `/cgi-bin/message/subscribe/send?access_token=${access_token}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        touser: openids[i],
        template_id: templateId,
        data: Object.fromEntries(Object.entries(DATA).map(([k, value]) => [k, { value }])),
      }),
    })
    await res.body.dump()
  })
  const seconds = (performance.now() - t0) / 1000
  await client.close()
  return Math.round(openids.length / seconds)
}

const sim = await startSimulatorProcess(0)
const db = await freshDb('postgres')
const env: Record<string, string> = {
  ...db.env,
  WXPUSH_MODE: 'production',
  WXPUSH_MASTER_KEY: randomBytes(32).toString('base64'),
  WXPUSH_WECHAT_BASE_URL: sim.url,
  WXPUSH_LOG_LEVEL: 'warn',
  WXPUSH_PORT: '0',
  WXPUSH_DISPATCH_CONCURRENCY: String(C),
  WXPUSH_DB_POOL_SIZE: '20',
}
let server: WxpushProcess | undefined
try {
  // Setup (not timed): app, key, templates; FANOUT users with credits written in SQL; DRAIN users that
  // also exist in the simulator (with credits there); SINGLES users for the single sends.
  const { appid, secret } = await control<{ appid: string; secret: string }>(sim.url, '/control/apps')
  const tpl = async (title: string) =>
    (
      await control<{ priTmplId: string }>(sim.url, `/control/apps/${appid}/templates`, {
        title,
        type: 2,
        keywords: KEYWORDS,
      })
    ).priTmplId
  const fanTpl = await tpl('散会通知')
  const drainTpl = await tpl('散会提醒')
  const singleTpl = await tpl('订单通知')
  const { openids: drainOpenids } = await control<{ openids: string[] }>(
    sim.url,
    `/control/apps/${appid}/users/bulk`,
    {
      count: DRAIN + SINGLES,
      credits: { [drainTpl]: 1, [singleTpl]: 1 },
    },
  )
  const setup = await startWxpush({ env: { ...env, WXPUSH_ROLE: 'api' }, listen: false })
  await setup.services.apps.createApp({ appId: appid, secret, tokenMode: 'stable' })
  const { apiKey } = await setup.services.apps.issueApiKey(appid)
  await setup.services.templates.sync(appid)
  const sdb = setup.services.db
  await sql`INSERT INTO users (id, app_id, openid) SELECT 'usr_f' || g, ${appid}, 'o_f' || g
              FROM generate_series(1, ${FANOUT}) g`.execute(sdb)
  await sql`INSERT INTO consents (app_id, user_id, template_id, reported, status, source)
            SELECT ${appid}, 'usr_f' || g, ${fanTpl}, 2, 'accept', 'miniprogram' FROM generate_series(1, ${FANOUT}) g`.execute(
    sdb,
  )
  await sql`INSERT INTO users (id, app_id, openid)
            SELECT 'usr_d' || i, ${appid}, o FROM jsonb_array_elements_text(${JSON.stringify(drainOpenids)}::jsonb)
              WITH ORDINALITY AS x(o, i)`.execute(sdb)
  await sql`INSERT INTO consents (app_id, user_id, template_id, reported, status, source)
            SELECT ${appid}, 'usr_d' || g, ${drainTpl}, 1, 'accept', 'miniprogram' FROM generate_series(1, ${DRAIN}) g`.execute(
    sdb,
  )
  await sql`INSERT INTO consents (app_id, user_id, template_id, reported, status, source)
            SELECT ${appid}, 'usr_d' || g, ${singleTpl}, 1, 'accept', 'miniprogram'
              FROM generate_series(${DRAIN + 1}::int, ${DRAIN + SINGLES}::int) g`.execute(sdb)
  await sql`ANALYZE`.execute(sdb)
  await setup.stop()

  server = await spawnWxpush({ ...env, WXPUSH_ROLE: 'all' }, { timeoutMs: 120_000 })
  const base = server.apiUrl
  const rssAtStart = peakRssMB(server)

  // 1a. {consented: true}
  let t0 = performance.now()
  const consented = await api<{ id: string }>(base, apiKey, 'POST', '/v1/campaigns', {
    name: 'bench consented',
    template: fanTpl,
    data: DATA,
    audience: { consented: true },
    ratePerSecond: 0.001,
  })
  const createdMs = performance.now() - t0
  await until(base, apiKey, consented.id, (v) => v.counts.pending === 0)
  const consentedSeconds = (performance.now() - t0) / 1000
  console.log(
    `fan-out {consented: true}: ${FANOUT} in ${consentedSeconds.toFixed(1)} s (POST ${Math.round(createdMs)} ms)`,
  )
  await api(base, apiKey, 'POST', `/v1/campaigns/${consented.id}/cancel`)

  // 1b. an upload of FANOUT openids, streamed
  t0 = performance.now()
  const uploaded = await api<{ id: string }>(base, apiKey, 'POST', '/v1/campaigns', {
    name: 'bench upload',
    template: fanTpl,
    data: DATA,
    audience: { upload: true },
    ratePerSecond: 0.001,
  })
  async function* csv() {
    yield 'openid\n'
    for (let i = 1; i <= FANOUT; i += 10_000) {
      let chunk = ''
      for (let k = i; k < Math.min(i + 10_000, FANOUT + 1); k++) chunk += `o_f${k}\n`
      yield chunk
    }
  }
  const up = await fetch(`${base}/v1/campaigns/${uploaded.id}/recipients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(Readable.from(csv())) as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  const upBody = (await up.json()) as { accepted: number }
  if (upBody.accepted !== FANOUT) throw new Error(`upload: ${JSON.stringify(upBody)}`)
  const uploadMs = performance.now() - t0
  await api(base, apiKey, 'POST', `/v1/campaigns/${uploaded.id}/start`)
  await until(base, apiKey, uploaded.id, (v) => v.counts.pending === 0)
  const uploadSeconds = (performance.now() - t0) / 1000
  console.log(
    `fan-out upload: ${FANOUT} in ${uploadSeconds.toFixed(1)} s (upload ${Math.round(uploadMs)} ms)`,
  )
  await api(base, apiKey, 'POST', `/v1/campaigns/${uploaded.id}/cancel`)
  const fanoutRss = peakRssMB(server)

  // 2. the drain, with single sends posted meanwhile
  t0 = performance.now()
  const drain = await api<{ id: string }>(base, apiKey, 'POST', '/v1/campaigns', {
    name: 'bench drain',
    template: drainTpl,
    data: DATA,
    audience: { consented: true },
  })
  const singleIds: string[] = []
  const singles = (async () => {
    for (let i = 0; i < SINGLES; i++) {
      const m = await api<{ id: string }>(base, apiKey, 'POST', '/v1/messages', {
        to: { openid: drainOpenids[DRAIN + i] },
        template: singleTpl,
        data: DATA,
      })
      singleIds.push(m.id)
      await sleep(100)
    }
  })()
  const drained = await until(base, apiKey, drain.id, (v) => v.status === 'completed')
  const drainSeconds = (performance.now() - t0) / 1000
  await singles
  if (drained.counts.sent !== DRAIN) throw new Error(`drain: ${JSON.stringify(drained.counts)}`)

  const check = await startWxpush({ env: { ...env, WXPUSH_ROLE: 'api' }, listen: false })
  let latencies: number[] = []
  for (;;) {
    const r = await sql<{ ms: number | null }>`
      SELECT (extract(epoch FROM sent_at - created_at) * 1000)::float8 AS ms FROM messages
       WHERE campaign_id IS NULL AND id IN (${sql.join(singleIds)})`.execute(check.services.db)
    if (r.rows.every((x) => x.ms !== null)) {
      latencies = r.rows.map((x) => x.ms!).sort((a, b) => a - b)
      break
    }
    await sleep(200)
  }
  await check.stop()
  const p = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!)
  const rawMsgsPerSec = await raw(sim.url, appid, secret, drainTpl, drainOpenids.slice(0, DRAIN))
  const result = {
    n: { fanout: FANOUT, drain: DRAIN, singles: SINGLES },
    concurrency: C,
    fanout: {
      recipientsPerSec: Math.round(FANOUT / consentedSeconds),
      consented: { seconds: Number(consentedSeconds.toFixed(2)), postMs: Math.round(createdMs) },
      upload: {
        recipientsPerSec: Math.round(FANOUT / uploadSeconds),
        seconds: Number(uploadSeconds.toFixed(2)),
        uploadMs: Math.round(uploadMs),
      },
      peakRssMB: fanoutRss,
      rssAtStartMB: rssAtStart,
    },
    drain: {
      msgsPerSec: Math.round(DRAIN / drainSeconds),
      rawMsgsPerSec,
      ratio: Number((DRAIN / drainSeconds / rawMsgsPerSec).toFixed(3)),
      seconds: Number(drainSeconds.toFixed(2)),
      peakRssMB: peakRssMB(server),
    },
    singleDuringDrain: { p50Ms: p(0.5), p99Ms: p(0.99), maxMs: p(1) },
    machine: {
      ...machine(),
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(1))),
    },
    at: new Date().toISOString(),
  }
  console.log(JSON.stringify(result, null, 2))
  console.log(`written to ${writeResult('campaign.json', result)}`)
} finally {
  await server?.kill('SIGTERM')
  await sim.stop()
  await db.drop()
}
