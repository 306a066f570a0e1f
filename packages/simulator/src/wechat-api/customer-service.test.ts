import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

describe('customer-service messages', () => {
  it('allows five messages within 48 hours of the user writing, then 45047, then 45015 after the window', async () => {
    const s = await t.setup()
    const send = () =>
      t.post(`/cgi-bin/message/custom/send?access_token=${s.token}`, {
        touser: s.openid,
        msgtype: 'text',
        text: { content: 'hi' },
      })
    expect((await send()).json.errcode).toBe(45015)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/messages`, { content: '在吗' })
    for (let i = 0; i < 5; i++) expect((await send()).json.errcode).toBe(0)
    expect((await send()).json.errcode).toBe(45047)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/messages`, { content: '还在吗' })
    await t.advance(48 * 3_600_000)
    const fresh = await t.get(
      `/cgi-bin/token?grant_type=client_credential&appid=${s.appid}&secret=${s.secret}`,
    )
    s.token = String(fresh.json.access_token)
    expect((await send()).json.errcode).toBe(45015)
    const got = (await t.get(`/control/apps/${s.appid}/users/${s.openid}/customer-service`))
      .json as unknown as unknown[]
    expect(got).toHaveLength(5)
  })

  it('allows two messages within one minute of entering the session', async () => {
    const s = await t.setup()
    const send = () =>
      t.post(`/cgi-bin/message/custom/send?access_token=${s.token}`, {
        touser: s.openid,
        msgtype: 'text',
        text: { content: 'hi' },
      })
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/enter-session`, { sessionFrom: 'order' })
    expect((await send()).json.errcode).toBe(0)
    expect((await send()).json.errcode).toBe(0)
    expect((await send()).json.errcode).toBe(45047)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/enter-session`, {})
    await t.advance(60_000)
    expect((await send()).json.errcode).toBe(45015)
  })

  it('answers 40101 on business/send without a businessid and validates typing commands', async () => {
    const s = await t.setup()
    const b = await t.post(`/cgi-bin/message/custom/business/send?access_token=${s.token}`, {
      touser: s.openid,
      msgtype: 'text',
      text: { content: 'x' },
    })
    expect(b.json.errcode).toBe(40101)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/messages`, {})
    const typing = (command: string) =>
      t.post(`/cgi-bin/message/custom/typing?access_token=${s.token}`, { touser: s.openid, command })
    expect((await typing('Typing')).json.errcode).toBe(0)
    expect((await typing('Dancing')).json.errcode).toBe(45072)
  })
})
