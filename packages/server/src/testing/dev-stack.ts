// What `npm run dev` starts, for tests outside the server (the mini program SDK, the example
// pages): the simulator and wxpush on free ports, the demo world seeded through the real paths
// (app, templates, users, message push in secure mode), on a fresh database of either kind.
import { createSimulator, type Simulator, type SimulatorOptions } from '@wxpush/simulator'
import type { DbKind } from '../db/db.ts'
import { seedDemo, type DevInfo } from '../dev/dev.seed.ts'
import { startWxpush, type Running } from '../main.ts'
import { createTestDatabase, DB_KINDS } from './test-db.ts'

export { DB_KINDS }
export type { DbKind, DevInfo }

export interface DevStack {
  info: DevInfo
  simulator: Simulator
  wxpush: Running
  /** fetch against the wxpush API with the demo app's key; answers {status, body}. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  /** The simulator's control API. */
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>
  close(failed?: boolean): Promise<void>
}

export async function startDevStack(p: {
  kind: DbKind
  env?: Record<string, string>
  simulator?: SimulatorOptions
}): Promise<DevStack> {
  const database = await createTestDatabase(p.kind)
  const simulator = createSimulator(p.simulator)
  const simulatorUrl = await simulator.listen()
  // dev.json goes beside the database's own folder, removed with it.
  const dataDir = database.dataDir
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
  const info = await seedDemo({ running: wxpush, simulatorUrl, dataDir })

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
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(info.apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${info.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
  }
  return {
    info,
    simulator,
    wxpush,
    api,
    control,
    async close(failed = false) {
      await wxpush.stop()
      await simulator.close()
      await database.drop(failed)
    },
  }
}
