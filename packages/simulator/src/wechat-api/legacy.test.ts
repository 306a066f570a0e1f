import { afterEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
afterEach(() => t.close())

describe('retired template and uniform messages', () => {
  it('answers 48001 and 45109 as WeChat does today', async () => {
    t = await startTestSim()
    const s = await t.setup()
    expect(
      (await t.post(`/cgi-bin/message/wxopen/template/send?access_token=${s.token}`, {})).json.errcode,
    ).toBe(48001)
    expect(
      (await t.post(`/cgi-bin/message/wxopen/template/uniform_send?access_token=${s.token}`, {})).json
        .errcode,
    ).toBe(45109)
  })

  it('plays 2019: a form_id sends once, a prepay_id three times, both within seven days', async () => {
    t = await startTestSim({ legacy2019: true })
    const s = await t.setup()
    const id = await t.template(s.appid, 2, [{ key: 'keyword1', name: '商品' }])
    const mint = async (kind: string) =>
      String((await t.post(`/control/apps/${s.appid}/users/${s.openid}/form-ids`, { kind })).json.formId)
    const send = (form_id: string) =>
      t.post(`/cgi-bin/message/wxopen/template/send?access_token=${s.token}`, {
        touser: s.openid,
        template_id: id,
        form_id,
        data: { keyword1: { value: '耳机' } },
      })
    const form = await mint('form')
    expect((await send(form)).json.errcode).toBe(0)
    expect((await send(form)).json.errcode).toBe(41029)
    const prepay = await mint('prepay')
    for (let i = 0; i < 3; i++) expect((await send(prepay)).json.errcode).toBe(0)
    expect((await send(prepay)).json.errcode).toBe(41029)
    const old = await mint('form')
    await t.advance(7 * 86_400_000)
    const fresh = await t.get(
      `/cgi-bin/token?grant_type=client_credential&appid=${s.appid}&secret=${s.secret}`,
    )
    s.token = String(fresh.json.access_token)
    expect((await send(old)).json.errcode).toBe(41028)
    expect((await send('made-up')).json.errcode).toBe(41028)
    const uniform = await t.post(`/cgi-bin/message/wxopen/template/uniform_send?access_token=${s.token}`, {
      touser: s.openid,
      weapp_template_msg: {
        template_id: id,
        form_id: await mint('form'),
        data: { keyword1: { value: 'x' } },
      },
    })
    expect(uniform.json.errcode).toBe(0)
  })
})
