import { afterEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
afterEach(() => t.close())

describe('an official account', () => {
  it('lists followers with unionid, sends template messages only to followers, and shows them to the mini-program user', async () => {
    t = await startTestSim()
    const mp = await t.setup()
    const oa = await t.setup({ officialAccount: true, name: '示例公众号' })
    const tmpl = await t.template(oa.appid, 2, [{ key: 'keyword1', name: '订单' }])
    const unionid = 'oU_shared_by_both_accounts'
    const user = (await t.post(`/control/apps/${mp.appid}/users`, { unionid })).json as { openid: string }
    const follower = (await t.post(`/control/apps/${oa.appid}/followers`, { unionid })).json as {
      openid: string
    }

    const list = await t.get(`/cgi-bin/user/get?access_token=${oa.token}&next_openid=`)
    expect(list.json.data).toEqual({ openid: expect.arrayContaining([follower.openid]) })
    const info = await t.post(`/cgi-bin/user/info/batchget?access_token=${oa.token}`, {
      user_list: [{ openid: follower.openid }],
    })
    expect(info.json.user_info_list).toEqual([expect.objectContaining({ subscribe: 1, unionid })])

    const send = (token: string, touser: string, template_id = tmpl) =>
      t.post(`/cgi-bin/message/template/send?access_token=${token}`, {
        touser,
        template_id,
        data: { keyword1: { value: '已发货' } },
        miniprogram: { appid: mp.appid, pagepath: 'pages/a' },
      })
    expect((await send(mp.token, follower.openid)).json.errcode).toBe(48001)
    expect((await send(oa.token, 'o_nobody')).json.errcode).toBe(40003)
    expect((await send(oa.token, follower.openid, 'nope')).json.errcode).toBe(40037)
    const sent = await send(oa.token, follower.openid)
    expect(sent.json).toMatchObject({ errcode: 0, errmsg: 'ok' })
    expect(sent.text).toMatch(/"msgid":\d+/)

    const inbox = (await t.get(`/control/apps/${mp.appid}/users/${user.openid}/inbox`)).json as unknown as {
      channel: string
    }[]
    expect(inbox).toEqual([
      expect.objectContaining({ channel: 'official_account', officialAccount: oa.appid, templateId: tmpl }),
    ])
    const page = await t.get(`/inbox/${mp.appid}/${user.openid}`)
    expect(page.text).toContain('公众号消息')
    expect(page.text).toContain('已发货')

    const left = await fetch(`${t.url}/control/apps/${oa.appid}/followers/${follower.openid}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ following: false }),
    })
    expect(left.status).toBe(200)
    expect((await send(oa.token, follower.openid)).json.errcode).toBe(43004)
    const after = await t.post(`/cgi-bin/user/info/batchget?access_token=${oa.token}`, {
      user_list: [{ openid: follower.openid }],
    })
    expect(after.json.user_info_list).toEqual([{ subscribe: 0, openid: follower.openid }])
    // setup() made one follower of its own; the one who left is no longer listed
    const later = await t.get(`/cgi-bin/user/get?access_token=${oa.token}&next_openid=`)
    expect(later.json.data).toEqual({ openid: [oa.openid] })
  })
})
