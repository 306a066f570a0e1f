// The example mini program's own page logic (examples/miniprogram), run as WeChat would run it:
// app.js through App(), each page through Page(), taps through the fake wx, the SDK as built, against
// `npm run dev`'s stack on both databases.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDevStack, DB_KINDS, type DevStack } from '@wxpush/server/testing/dev-stack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeWx, type FakeWx } from './fake-wx.ts'

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/miniprogram')
const requireExample = createRequire(join(exampleDir, 'app.js'))

interface PageInstance {
  data: Record<string, unknown>
  setData(d: Record<string, unknown>): void
  [handler: string]: unknown
}
type Handler = (this: PageInstance) => Promise<void> | void
type AppInstance = { ready: Promise<unknown>; onLaunch(): void; config: { baseUrl: string } }

/** Loads app.js and a page as the mini program runtime does, with the fake wx installed. */
function boot(fake: FakeWx, baseUrl: string) {
  fake.install()
  for (const k of Object.keys(requireExample.cache))
    if (k.startsWith(exampleDir)) delete requireExample.cache[k]
  ;(requireExample('./config.js') as { baseUrl: string }).baseUrl = baseUrl
  const g = globalThis as Record<string, unknown>
  let app: AppInstance | undefined
  g.App = (def: AppInstance) => (app = def)
  g.getApp = () => app
  requireExample('./app.js')
  app!.onLaunch()
  const page = (path: string): PageInstance => {
    let def: Record<string, unknown> = {}
    g.Page = (d: Record<string, unknown>) => (def = d)
    requireExample(`./${path}.js`)
    const instance: PageInstance = {
      ...def,
      data: { ...(def.data as Record<string, unknown>) },
      setData(d) {
        Object.assign(this.data, d)
      },
    }
    return instance
  }
  return { app: app!, page }
}
const call = (p: PageInstance, name: string) => (p[name] as Handler).call(p)

describe.each(DB_KINDS)('the example mini program’s pages on %s', (kind) => {
  let stack: DevStack
  beforeAll(async () => {
    stack = await startDevStack({ kind })
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
  })

  async function newPhone() {
    const { appId, simulatorUrl } = stack.info
    const { openid } = await stack.control<{ openid: string }>(`/control/apps/${appId}/users`)
    return { openid, fake: createFakeWx({ simulatorUrl, appId, openid }) }
  }

  it('home: logs in, shows the 接收通知 button, a tap subscribes and the button goes away', async () => {
    const { fake } = await newPhone()
    const { page } = boot(fake, stack.info.apiUrl)
    const home = page('pages/index/index')
    await call(home, 'onShow')
    expect(home.data).toMatchObject({ loggedIn: true, needsConsent: true, credits: 0 })
    await fake.tap(() => call(home, 'onSubscribe'))
    expect(home.data).toMatchObject({ needsConsent: false, credits: 1 })
    expect(String(home.data.message)).toMatch(/已订阅/)
  })

  it('home: the main switch off is explained, and the button stays', async () => {
    const { openid, fake } = await newPhone()
    await stack.control(`/control/apps/${stack.info.appId}/users/${openid}/settings`, { mainSwitch: false })
    const { page } = boot(fake, stack.info.apiUrl)
    const home = page('pages/index/index')
    await call(home, 'onShow')
    await fake.tap(() => call(home, 'onSubscribe'))
    expect(String(home.data.message)).toMatch(/总开关已关闭/)
    expect(home.data).toMatchObject({ needsConsent: true, mainSwitchOff: true })
  })

  it('check-in (seed 004): one tap checks in and subscribes; the end-of-meeting notice reaches the phone', async () => {
    const { openid, fake } = await newPhone()
    const { app, page } = boot(fake, stack.info.apiUrl)
    await app.ready
    const checkin = page('pages/checkin/index')
    await fake.tap(() => call(checkin, 'onCheckin'))
    expect(checkin.data).toMatchObject({ checkedIn: true, subscribed: true })
    const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid },
      template: 'checkin_reminder',
      data: {
        time24: '2019年11月11日 20:20',
        time27: '2019年11月11日 22:00',
        thing21: '周末读书会',
        thing23: '签到成功，散会后即可离开',
      },
    })
    expect(sent.status).toBe(202)
    const until = Date.now() + 20_000
    let inbox: { data: Record<string, { value: string }> }[] = []
    while (inbox.length === 0 && Date.now() < until) {
      inbox = await stack.control(`/control/apps/${stack.info.appId}/users/${openid}/inbox`, undefined, 'GET')
      if (inbox.length === 0) await new Promise((r) => setTimeout(r, 50))
    }
    expect(inbox[0]?.data.thing23?.value).toBe('签到成功，散会后即可离开')
  })
})
