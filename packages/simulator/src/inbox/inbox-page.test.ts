import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

describe('inbox page', () => {
  it('renders the cards newest first with keyword names, values and the jump button, all escaped', async () => {
    const s = await t.setup()
    const id = await t.template(s.appid, 3, [{ key: 'thing1', name: '商品<名称>' }])
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
    const send = (value: string) =>
      t.post(`/cgi-bin/message/subscribe/send?access_token=${s.token}`, {
        touser: s.openid,
        template_id: id,
        page: 'pages/a/b',
        data: { thing1: { value } },
      })
    await send('第一条')
    expect((await send('<script>x</script>')).json.errcode).toBe(0)
    const page = await t.get(`/inbox/${s.appid}/${s.openid}`)
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('<script>')
    expect(page.text).toContain('&#60;script&#62;x&#60;/script&#62;')
    expect(page.text).toContain('商品&#60;名称&#62;')
    expect(page.text).toContain('进入小程序查看')
    expect(page.text.indexOf('script&#62;x')).toBeLessThan(page.text.indexOf('第一条'))
  })

  it('answers 404 in Chinese and English for an unknown user', async () => {
    const page = await t.get('/inbox/wxnope/onope')
    expect(page.status).toBe(404)
    expect(page.text).toContain('找不到该用户 / No such user')
  })
})
