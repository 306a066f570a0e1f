// Seeds the demo world into a running wxpush and its simulator, and writes dev.json.
import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { devAdminKey } from '../admin/admin.auth.ts'
import { createOperators } from '../console/console.operators.ts'
import { devSecret } from '../secrets/secrets.box.ts'
import type { Running } from '../main.ts'
import { AppError } from '../errors.ts'
import { DEMO_ACCEPTS, DEMO_APP, DEMO_TEMPLATES, DEMO_USER_COUNT } from './dev.demo.ts'

export interface DevInfo {
  apiUrl: string
  consoleUrl: string
  /** The dev console operator (role admin), made once per data folder. */
  console: { username: string; password: string }
  simulatorUrl: string
  appId: string
  apiKey: string
  /** The service-wide admin key for /v1/admin/* (generated into the data folder in dev mode). */
  adminKey: string
  templates: Record<string, string>
  users: { openid: string; userId: string; sessionToken: string; inboxUrl: string }[]
}

async function control<T>(simulatorUrl: string, path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(simulatorUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`simulator ${path}: HTTP ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/**
 * Reads the previous run's dev.json and removes it, before the API listens: a script that waits for
 * /v1/health and then reads dev.json must never get the last run's users and keys. Its API key is
 * reused when still valid.
 */
export function takePreviousDevInfo(dataDir: string): Partial<DevInfo> | undefined {
  const file = join(dataDir, 'dev.json')
  let old: Partial<DevInfo> | undefined
  try {
    old = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevInfo>
  } catch {
    // none, or a stale or foreign one: a new key is issued
  }
  rmSync(file, { force: true })
  return old
}

async function reuseOrIssueKey(running: Running, previous: Partial<DevInfo> | undefined): Promise<string> {
  if (typeof previous?.apiKey === 'string') {
    try {
      if ((await running.services.apps.checkApiKey(previous.apiKey)).appId === DEMO_APP.appId)
        return previous.apiKey
    } catch {
      // revoked or unknown: issue a new key below
    }
  }
  return (await running.services.apps.issueApiKey(DEMO_APP.appId)).apiKey
}

export async function seedDemo(p: {
  running: Running
  simulatorUrl: string
  dataDir: string
  /** What takePreviousDevInfo() found. */
  previous?: Partial<DevInfo> | undefined
}): Promise<DevInfo> {
  const { running, simulatorUrl } = p
  const s = running.services
  // Message push in secure JSON mode, as a team would configure it: popup, change and sent events
  // reach this wxpush. A fresh Token and EncodingAESKey on each start, set on both sides.
  const callback = {
    url: `${running.apiUrl}/wechat/callback/${DEMO_APP.appId}`,
    token: `dev${randomBytes(8).toString('hex')}`,
    encodingAesKey: randomBytes(32).toString('base64').replace(/[+/=]/g, 'A').slice(0, 43),
    mode: 'secure' as const,
    format: 'json' as const,
  }
  await control(simulatorUrl, '/control/apps', {
    appid: DEMO_APP.appId,
    secret: DEMO_APP.secret,
    pages: ['pages/index/index', 'pages/order/detail', 'pages/class/detail'],
    callback,
  })
  try {
    await s.apps.createApp({
      appId: DEMO_APP.appId,
      secret: DEMO_APP.secret,
      name: DEMO_APP.name,
      tokenMode: 'stable',
    })
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'apps.exists')) throw err
  }
  await s.callbackConfigs.set({
    appId: DEMO_APP.appId,
    token: callback.token,
    encodingAesKey: callback.encodingAesKey,
    mode: callback.mode,
    format: callback.format,
  })

  const ids: Record<string, string> = {}
  for (const t of DEMO_TEMPLATES) {
    const { priTmplId } = await control<{ priTmplId: string }>(
      simulatorUrl,
      `/control/apps/${DEMO_APP.appId}/templates`,
      {
        title: t.title,
        type: t.type,
        keywords: t.keywords,
      },
    )
    ids[t.alias] = priTmplId
  }
  await s.templates.sync(DEMO_APP.appId)
  for (const [alias, id] of Object.entries(ids)) await s.templates.setAlias(DEMO_APP.appId, id, alias)

  const users: DevInfo['users'] = []
  for (let i = 0; i < DEMO_USER_COUNT; i++) {
    const { openid } = await control<{ openid: string }>(
      simulatorUrl,
      `/control/apps/${DEMO_APP.appId}/users`,
    )
    const { code } = await control<{ code: string }>(
      simulatorUrl,
      `/control/apps/${DEMO_APP.appId}/users/${openid}/login`,
    )
    const session = await s.login.login({ appId: DEMO_APP.appId, code })
    users.push({
      openid,
      userId: session.userId,
      sessionToken: session.token,
      inboxUrl: `${simulatorUrl}/inbox/${DEMO_APP.appId}/${openid}`,
    })
  }

  // The first user taps "allow" DEMO_ACCEPTS times for every demo template; the mini program
  // reports each answer to POST /v1/consents, as the mini program SDK does.
  const first = users[0]!
  for (let n = 0; n < DEMO_ACCEPTS; n++) {
    const results = Object.fromEntries(Object.values(ids).map((id) => [id, 'accept']))
    const answer = await control<Record<string, string>>(
      simulatorUrl,
      `/control/apps/${DEMO_APP.appId}/users/${first.openid}/subscribe`,
      { results },
    )
    const reported = Object.fromEntries(Object.entries(answer).filter(([k]) => k !== 'errMsg'))
    const res = await running.app.inject({
      method: 'POST',
      url: '/v1/consents',
      headers: { authorization: `Bearer ${first.sessionToken}` },
      payload: { results: reported },
    })
    if (res.statusCode !== 200) throw new Error(`POST /v1/consents: ${res.statusCode} ${res.body}`)
  }

  const consoleLogin = await ensureDevOperator(running, p.dataDir)

  const file = join(p.dataDir, 'dev.json')
  const info: DevInfo = {
    apiUrl: running.apiUrl,
    consoleUrl: `${running.apiUrl}/console`,
    console: consoleLogin,
    simulatorUrl,
    appId: DEMO_APP.appId,
    apiKey: await reuseOrIssueKey(running, p.previous),
    adminKey: running.config.WXPUSH_ADMIN_KEY ?? devAdminKey(running.config.WXPUSH_DATA_DIR),
    templates: ids,
    users,
  }
  // Written whole and renamed into place: a reader sees no file or the complete one.
  writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 })
  renameSync(`${file}.tmp`, file)
  return info
}

/** The dev operator "admin" with a password generated into the data folder (mode 0600). */
async function ensureDevOperator(running: Running, dataDir: string) {
  const login = {
    username: 'admin',
    password: devSecret(dataDir, 'console.password', () => randomBytes(12).toString('base64url')),
  }
  const operators = createOperators({ db: running.services.db })
  try {
    await operators.add({ ...login, role: 'admin', appIds: [] })
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'console.operator_exists')) throw err
  }
  return login
}
