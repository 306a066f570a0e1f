// npm run bench:campaign [-- --fanout 1000000 --drain 100000 --c 64]
// (--drain 0: the fan-out only, printed and not written)
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
import { loadavg } from 'node:os'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
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

/**
 * Polls the campaign once a second, as the CLI's progress bar does (its counts scan the campaign's
 * messages: polling faster takes CPU from the fan-out it measures).
 */
async function until(base: string, key: string, id: string, done: (v: View) => boolean) {
  for (;;) {
    const v = await api<View>(base, key, 'GET', `/v1/campaigns/${id}`)
    await cpu?.sample()
    if (done(v)) return v
    await sleep(1_000)
  }
}

const loadAverage = () => loadavg().map((x) => Number(x.toFixed(1)))

/** CPU seconds (user + system) a process has used so far, from /proc; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // f[0] is field 3 (state)
    return (Number(f[11]) + Number(f[12])) / 100 // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined
  }
}

/**
 * The CPU a phase costs on a shared machine, where wall time depends on the neighbours: the
 * wxpush process and the Postgres backends of the bench database (sampled at every poll, so a
 * backend that exits between two samples loses at most one second of its count).
 */
function cpuMeter(database: pg.Client, serverPid: number) {
  let base = new Map<number, number>()
  let last = new Map<number, number>()
  const backends = async () =>
    (
      await database.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid)
  async function sample() {
    for (const pid of [serverPid, ...(await backends())]) {
      const s = cpuSeconds(pid)
      if (s !== undefined) last.set(pid, s)
    }
  }
  return {
    sample,
    async start() {
      last = new Map()
      await sample()
      base = new Map(last)
    },
    async stop() {
      await sample()
      let server = 0
      let postgres = 0
      for (const [pid, s] of last) {
        const used = s - (base.get(pid) ?? 0)
        if (pid === serverPid) server += used
        else postgres += used
      }
      return { server: Number(server.toFixed(1)), postgres: Number(postgres.toFixed(1)) }
    },
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
let cpu: ReturnType<typeof cpuMeter> | undefined
const meterDb = new pg.Client({ connectionString: db.env['DATABASE_URL'] })
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
  // The simulator makes at most 100 000 users per call.
  const drainOpenids: string[] = []
  for (let left = DRAIN + SINGLES; left > 0; left -= 100_000) {
    const { openids } = await control<{ openids: string[] }>(sim.url, `/control/apps/${appid}/users/bulk`, {
      count: Math.min(left, 100_000),
      credits: { [drainTpl]: 1, [singleTpl]: 1 },
    })
    drainOpenids.push(...openids)
  }
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
  const loadAtStart = loadAverage()
  await meterDb.connect()
  cpu = cpuMeter(meterDb, server.child.pid!)
  console.log(`load average at start: ${loadAtStart.join(' ')}`)

  // 1a. {consented: true}
  await cpu.start()
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
  const consentedCpu = await cpu.stop()
  console.log(
    `fan-out {consented: true}: ${FANOUT} in ${consentedSeconds.toFixed(1)} s (POST ${Math.round(createdMs)} ms)`,
  )
  // Paused, not cancelled: cancelling a million queued messages would run beside the next measurement.
  await api(base, apiKey, 'POST', `/v1/campaigns/${consented.id}/pause`)

  // 1b. an upload of FANOUT openids, streamed
  await cpu.start()
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
  const uploadCpu = await cpu.stop()
  console.log(
    `fan-out upload: ${FANOUT} in ${uploadSeconds.toFixed(1)} s (upload ${Math.round(uploadMs)} ms)`,
  )
  await api(base, apiKey, 'POST', `/v1/campaigns/${uploaded.id}/pause`)
  const fanoutRss = peakRssMB(server)
  if (DRAIN === 0) {
    console.log(
      `fan-out only: consented ${Math.round(FANOUT / consentedSeconds)}/s (CPU s ${JSON.stringify(consentedCpu)}), upload ${Math.round(FANOUT / uploadSeconds)}/s (CPU s ${JSON.stringify(uploadCpu)}), peak RSS ${fanoutRss} MB, load ${loadAverage().join(' ')} (not written)`,
    )
  } else {
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
        consented: {
          seconds: Number(consentedSeconds.toFixed(2)),
          postMs: Math.round(createdMs),
          cpuSeconds: consentedCpu,
        },
        upload: {
          recipientsPerSec: Math.round(FANOUT / uploadSeconds),
          seconds: Number(uploadSeconds.toFixed(2)),
          uploadMs: Math.round(uploadMs),
          cpuSeconds: uploadCpu,
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
        // 1, 5 and 15 minutes: at the start of the timed part and at the end (a shared machine)
        loadAverageAtStart: loadAtStart,
        loadAverage: loadAverage(),
      },
      at: new Date().toISOString(),
    }
    console.log(JSON.stringify(result, null, 2))
    console.log(`written to ${writeResult('campaign.json', result)}`)
  }
} finally {
  await meterDb.end().catch(() => {})
  await server?.kill('SIGTERM')
  await sim.stop()
  await db.drop()
}
