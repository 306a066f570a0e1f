// Test support: a simulator on 127.0.0.1:0 and small real-HTTP helpers (no in-process shortcuts).
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator.ts'

export interface TestSim {
  sim: Simulator
  url: string
  get(path: string): Promise<{ status: number; text: string; json: Record<string, unknown> }>
  post(path: string, body?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }>
  del(path: string, body?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }>
  /** Creates an app, a user and returns a fresh classic token. */
  setup(input?: {
    pages?: string[]
    callback?: unknown
    officialAccount?: boolean
    name?: string
  }): Promise<{ appid: string; secret: string; openid: string; token: string }>
  template(
    appid: string,
    type: 2 | 3,
    keywords?: { key: string; name: string; enumValues?: string[] }[],
  ): Promise<string>
  advance(ms: number): Promise<void>
  close(): Promise<void>
}

export const FROZEN_NOW = Date.UTC(2026, 0, 5, 2, 0, 0)

async function call(url: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // not JSON (HTML page, dropped)
  }
  return { status: res.status, text, json }
}

export async function startTestSim(opts: SimulatorOptions = {}): Promise<TestSim> {
  // A frozen base clock: simulated time moves only through `POST /control/clock`, so tests are exact.
  const sim = createSimulator({
    now: () => FROZEN_NOW,
    callbackRetryDelaysMs: [20, 40],
    callbackTimeoutMs: 2000,
    ...opts,
  })
  const url = await sim.listen()
  const t: TestSim = {
    sim,
    url,
    get: (path) => call(url + path, 'GET'),
    post: (path, body) => call(url + path, 'POST', body ?? {}),
    del: (path, body) => call(url + path, 'DELETE', body ?? {}),
    async setup(input = {}) {
      const app = (await t.post('/control/apps', input)).json as { appid: string; secret: string }
      const user = (await t.post(`/control/apps/${app.appid}/users`, {})).json as { openid: string }
      const token = await t.get(
        `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
      )
      return { ...app, openid: user.openid, token: String(token.json.access_token) }
    },
    async template(appid, type, keywords = [{ key: 'thing1', name: '商品名称' }]) {
      const r = await t.post(`/control/apps/${appid}/templates`, { title: '订单发货通知', type, keywords })
      return String(r.json.priTmplId)
    },
    async advance(ms) {
      await t.post('/control/clock', { advanceMs: ms })
    },
    close: () => sim.close(),
  }
  return t
}
