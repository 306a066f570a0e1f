// `wxpush templates sync [--app <appId>]` against the simulator, on both databases: the command runs
// in-process through the CLI entry, each command opening and closing the database as a shell would.
import { createSimulator, type Simulator } from '@wxpush/simulator'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../src/cli/wxpush.ts'
import { openDb } from '../src/db/db.ts'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../src/testing/test-db.ts'

describe.each(DB_KINDS)('wxpush templates sync on %s', (kind) => {
  let database: TestDatabase
  let simulator: Simulator
  let env: Record<string, string>
  let failed = false

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    simulator = createSimulator()
    env = {
      ...database.env,
      WXPUSH_MODE: 'dev',
      WXPUSH_LOG_LEVEL: 'silent',
      WXPUSH_WECHAT_BASE_URL: await simulator.listen(),
    }
  })
  afterAll(async () => {
    process.exitCode = undefined
    await simulator?.close()
    await database?.drop(failed)
  })

  async function control<T>(path: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${env.WXPUSH_WECHAT_BASE_URL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return (await res.json()) as T
  }
  async function run(argv: string[]) {
    const out: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
    process.exitCode = undefined
    try {
      await main(argv, env)
      return { out: out.join('\n'), exitCode: process.exitCode }
    } finally {
      log.mockRestore()
      err.mockRestore()
      process.exitCode = undefined
    }
  }
  async function templateRows() {
    const h = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: `${database.dataDir}/pglite` })
    try {
      return await h.db
        .selectFrom('templates')
        .select(['app_id', 'id', 'kind', 'keywords', 'deleted_at'])
        .execute()
    } finally {
      await h.close()
    }
  }

  it('pulls the templates of every app, then of the one named by --app, and marks removed ones deleted', async () => {
    try {
      const apps = [
        await control<{ appid: string; secret: string }>('/control/apps'),
        await control<{ appid: string; secret: string }>('/control/apps'),
      ]
      for (const a of apps)
        expect((await run(['apps', 'add', a.appid, '--secret', a.secret])).exitCode).toBeUndefined()
      const [first, second] = apps.map((a) => a.appid) as [string, string]
      const { priTmplId } = await control<{ priTmplId: string }>(`/control/apps/${first}/templates`, {
        title: '订单状态通知',
        type: 2,
        keywords: [
          { key: 'thing1', name: '商品名称' },
          { key: 'enum2', name: '订单状态', enumValues: ['已发货', '已签收'] },
        ],
      })
      await control(`/control/apps/${second}/templates`, {
        title: '课程上课提醒',
        type: 3,
        keywords: [{ key: 'thing1', name: '课程名称' }],
      })

      const all = await run(['templates', 'sync'])
      expect(all.exitCode).toBeUndefined()
      expect(all.out).toContain(`${first}\t已同步 / synced 1`)
      expect(all.out).toContain(`${second}\t已同步 / synced 1`)

      // Deleted in WeChat's console: the next sync of that app marks it deleted.
      const token = await fetch(`${env.WXPUSH_WECHAT_BASE_URL}/cgi-bin/stable_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: first, secret: apps[0]?.secret }),
      })
      const { access_token } = (await token.json()) as { access_token: string }
      await fetch(`${env.WXPUSH_WECHAT_BASE_URL}/wxaapi/newtmpl/deltemplate?access_token=${access_token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ priTmplId }),
      })
      const one = await run(['templates', 'sync', '--app', first])
      expect(one.exitCode).toBeUndefined()
      expect(one.out).toBe(`${first}\t已同步 / synced 0\t已删除 / removed 1`)
      // Each command opened and closed the database; so does this look at what they left.
      const rows = await templateRows()
      expect(rows.map((r) => [r.app_id, r.kind]).sort()).toEqual(
        [
          [first, 'one_time'],
          [second, 'long_term'],
        ].sort(),
      )
      expect(rows.find((r) => r.id === priTmplId)?.keywords).toEqual([
        { key: 'thing1', type: 'thing', name: '商品名称' },
        { key: 'enum2', type: 'enum', name: '订单状态', enumValues: ['已发货', '已签收'] },
      ])
      expect(rows.find((r) => r.id === priTmplId)?.deleted_at).toBeInstanceOf(Date)
    } catch (e) {
      failed = true
      throw e
    }
  }, 180_000) // 56 s on a loaded machine (child processes)

  it('names the app and the error, and exits 1, when the app is unknown', async () => {
    const r = await run(['templates', 'sync', '--app', 'wx_not_registered'])
    expect(r.exitCode).toBe(1)
    expect(r.out).toMatch(/^wx_not_registered\tapps.not_found: /)
  })

  it('prints the usage and exits 2 without a sub-command', async () => {
    const r = await run(['templates'])
    expect(r.exitCode).toBe(2)
    expect(r.out).toContain('wxpush templates sync')
  })
})
