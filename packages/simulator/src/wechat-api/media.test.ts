// Temporary media (§7.3) and what depends on it: upload an image (multipart field `media`), get it back,
// send it as a customer-service image; a non-image is 40004; an unknown or 3-day-old media_id 40007.
// Typing (§7.2): needs an exchange within 30 s (45080), lasts 15 s (45081 meanwhile), a send cancels it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'
import { TINY_PNG } from './media.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

async function upload(token: string, bytes: Buffer, type = 'image') {
  const form = new FormData()
  form.append('media', new Blob([bytes]), 'a.png')
  const res = await fetch(`${t.url}/cgi-bin/media/upload?access_token=${token}&type=${type}`, {
    method: 'POST',
    body: form,
  })
  return (await res.json()) as Record<string, unknown>
}

describe('temporary media', () => {
  it('stores an image for 3 days, serves it, and refuses what is not an image', async () => {
    const s = await t.setup()
    const up = await upload(s.token, TINY_PNG)
    expect(up).toMatchObject({ errcode: 0, type: 'image' })
    const got = await fetch(
      `${t.url}/cgi-bin/media/get?access_token=${s.token}&media_id=${String(up.media_id)}`,
    )
    expect(got.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await got.arrayBuffer()).equals(TINY_PNG)).toBe(true)
    expect((await upload(s.token, Buffer.from('not an image'))).errcode).toBe(40004)
    expect((await upload(s.token, TINY_PNG, 'voice')).errcode).toBe(40004)

    await t.post(`/control/apps/${s.appid}/users/${s.openid}/messages`, { msgtype: 'text', content: '图呢' })
    const sendImage = (token: string, media_id: string) =>
      t.post(`/cgi-bin/message/custom/send?access_token=${token}`, {
        touser: s.openid,
        msgtype: 'image',
        image: { media_id },
      })
    expect((await sendImage(s.token, String(up.media_id))).json.errcode).toBe(0)
    expect((await sendImage(s.token, 'made-up')).json.errcode).toBe(40007)
    await t.advance(3 * 86_400_000)
    const fresh = await t.get(
      `/cgi-bin/token?grant_type=client_credential&appid=${s.appid}&secret=${s.secret}`,
    )
    const token = String(fresh.json.access_token)
    expect(
      (await t.get(`/cgi-bin/media/get?access_token=${token}&media_id=${String(up.media_id)}`)).json.errcode,
    ).toBe(40007)
  })
})

describe('the user writes to customer service (control API)', () => {
  it('takes text, an image and entering the session, and lists them in the inbox and on the phone page', async () => {
    const s = await t.setup()
    const base = `/control/apps/${s.appid}/users/${s.openid}`
    expect((await t.post(`${base}/messages`, { event: 'user_enter_tempsession' })).json).toMatchObject({
      windowLeft: 2,
    })
    expect((await t.post(`${base}/messages`, { msgtype: 'image' })).json).toMatchObject({
      msgtype: 'image',
      windowLeft: 5,
    })
    expect(
      (await t.post(`${base}/messages`, { msgtype: 'text', content: '<b>你好</b>' })).json.windowLeft,
    ).toBe(5)
    expect((await t.post(`${base}/messages`, { msgtype: 'voice' })).status).toBe(400)
    expect((await t.post(`${base}/messages`, { event: 'subscribe' })).status).toBe(400)
    await t.post(`/cgi-bin/message/custom/send?access_token=${s.token}`, {
      touser: s.openid,
      msgtype: 'text',
      text: { content: '您好' },
    })
    const inbox = (await t.get(`${base}/inbox`)).json as unknown as { channel: string; msgtype: string }[]
    expect(inbox).toEqual([expect.objectContaining({ channel: 'customer_service', msgtype: 'text' })])
    const page = (await t.get(`/inbox/${s.appid}/${s.openid}`)).text
    expect(page).toContain('客服消息')
    expect(page).toContain('&#60;b&#62;你好&#60;/b&#62;')
    expect(page).toContain('class="msg service"')
  })
})

describe('typing', () => {
  it('needs an exchange within 30 s, lasts 15 s, and a send cancels it', async () => {
    const s = await t.setup()
    const typing = (command: string) =>
      t.post(`/cgi-bin/message/custom/typing?access_token=${s.token}`, { touser: s.openid, command })
    expect((await typing('Typing')).json.errcode).toBe(45015)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/messages`, { content: '在吗' })
    expect((await typing('Dancing')).json.errcode).toBe(45072)
    expect((await typing('Typing')).json.errcode).toBe(0)
    expect((await typing('Typing')).json.errcode).toBe(45081)
    await t.advance(15_000)
    expect((await typing('Typing')).json.errcode).toBe(0)
    await t.post(`/cgi-bin/message/custom/send?access_token=${s.token}`, {
      touser: s.openid,
      msgtype: 'text',
      text: { content: '来了' },
    })
    expect((await typing('Typing')).json.errcode).toBe(0) // the send cancelled it and was an exchange
    await t.advance(31_000)
    expect((await typing('Typing')).json.errcode).toBe(45080)
  })
})
