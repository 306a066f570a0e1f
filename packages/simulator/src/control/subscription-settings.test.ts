// The user's subscription settings, played for real: the main switch (20004 while off) and the
// "always keep" choices (no popup: the kept answer comes back, one-time credits still one per call),
// as wx.getSetting({withSubscriptions: true}) shows them. Sources: WeChat's
// wx.requestSubscribeMessage and wx.getSetting docs (errCode table; SubscriptionsSetting).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim | undefined
afterEach(() => t?.close())

async function world(opts: { keptChoiceEvents?: boolean; callbackUrl?: string } = {}) {
  t = await startTestSim({ keptChoiceEvents: opts.keptChoiceEvents })
  const sim = t
  const callback = opts.callbackUrl && { url: opts.callbackUrl, token: 'tok', mode: 'plain', format: 'json' }
  const { appid, openid } = await sim.setup(callback ? { callback } : {})
  const tpl = await sim.template(appid, 2)
  const user = `/control/apps/${appid}/users/${openid}`
  const credits = async () =>
    ((await sim.get(`${user}/consents`)).json as unknown as { templateId: string; credits: number }[]).find(
      (c) => c.templateId === tpl,
    )?.credits ?? 0
  return { sim, appid, openid, tpl, user, credits }
}

describe('subscription settings in the simulator', () => {
  it('answers 20004 while the main switch is off, and nothing is granted', async () => {
    const { sim, tpl, user, credits } = await world()
    expect((await sim.get(`${user}/settings`)).json).toEqual({ mainSwitch: true })
    expect((await sim.post(`${user}/settings`, { mainSwitch: false })).json).toEqual({ mainSwitch: false })
    const r = await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' } })
    expect(r.status).toBe(400)
    expect(r.json).toEqual({
      errMsg: 'requestSubscribeMessage:fail The main switch is switched off',
      errCode: 20004,
    })
    expect(await credits()).toBe(0)
    await sim.post(`${user}/settings`, { mainSwitch: true })
    expect((await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' } })).status).toBe(200)
    expect(await credits()).toBe(1)
  })

  it('keeps a choice: later calls answer it whatever would be tapped, one credit per accepted call', async () => {
    const { sim, tpl, user, credits } = await world()
    await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' }, keep: true })
    expect((await sim.get(`${user}/settings`)).json).toEqual({
      mainSwitch: true,
      itemSettings: { [tpl]: 'accept' },
    })
    const again = await sim.post(`${user}/subscribe`, { results: { [tpl]: 'reject' } })
    expect(again.json).toEqual({ errMsg: 'requestSubscribeMessage:ok', [tpl]: 'accept' })
    expect(await credits()).toBe(2)
    // Changed in the settings page: "always reject" from now on.
    await sim.post(`${user}/settings`, { itemSettings: { [tpl]: 'reject' } })
    expect((await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' } })).json[tpl]).toBe('reject')
    expect(await credits()).toBe(2)
    await sim.post(`${user}/settings`, { itemSettings: { [tpl]: null } })
    expect((await sim.get(`${user}/settings`)).json).toEqual({ mainSwitch: true })
  })

  it('pushes the popup event for a kept choice unless told not to (WeChat does not say)', async () => {
    const popups: string[] = []
    const phoneHome = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        if (body.includes('subscribe_msg_popup_event')) popups.push(body)
        res.end('success')
      })
    })
    await new Promise<void>((r) => phoneHome.listen(0, '127.0.0.1', r))
    const callbackUrl = `http://127.0.0.1:${(phoneHome.address() as AddressInfo).port}/cb`
    try {
      for (const keptChoiceEvents of [true, false]) {
        popups.length = 0
        const { sim, tpl, user } = await world({ keptChoiceEvents, callbackUrl })
        await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' }, keep: true })
        await sim.post(`${user}/subscribe`, { results: { [tpl]: 'accept' } })
        await sim.sim.callbacksIdle()
        expect(popups.length).toBe(keptChoiceEvents ? 2 : 1)
        await sim.close()
        t = undefined
      }
    } finally {
      phoneHome.close()
    }
  })

  it('refuses bad settings bodies with the field named', async () => {
    const { sim, user } = await world()
    const r = await sim.post(`${user}/settings`, { mainSwitch: 'no' })
    expect(r.status).toBe(400)
    expect(r.json).toMatchObject({
      error: { code: 'simulator.invalid_body', details: { field: 'mainSwitch' } },
    })
    expect((await sim.post(`${user}/settings`, { itemSettings: { nope: 'accept' } })).status).toBe(404)
  })
})
