import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

describe('/wxaapi/newtmpl template management', () => {
  it('walks the public library from categories to titles to keywords', async () => {
    const { token } = await t.setup()
    const cats = (await t.get(`/wxaapi/newtmpl/getcategory?access_token=${token}`)).json as {
      data: { id: number }[]
    }
    const ids = cats.data.map((c) => c.id).join(',')
    const titles = await t.get(
      `/wxaapi/newtmpl/getpubtemplatetitles?access_token=${token}&ids=${ids}&start=0&limit=2`,
    )
    expect(titles.json.count).toBe(4)
    expect(titles.json.data).toHaveLength(2)
    const kws = await t.get(`/wxaapi/newtmpl/getpubtemplatekeywords?access_token=${token}&tid=1001`)
    expect(kws.json.data).toEqual(
      expect.arrayContaining([{ kid: 1, name: '商品名称', example: '无线蓝牙耳机', rule: 'thing' }]),
    )
  })

  it('answers 200016 to 200019 for bad title queries', async () => {
    const { token } = await t.setup()
    const q = (s: string) => t.get(`/wxaapi/newtmpl/getpubtemplatetitles?access_token=${token}&${s}`)
    expect((await q('start=0&limit=1')).json.errcode).toBe(200018)
    expect((await q('ids="307"&start=0&limit=1')).json.errcode).toBe(200019)
    expect((await q('ids=307&start=-1&limit=1')).json.errcode).toBe(200016)
    expect((await q('ids=307&start=0&limit=31')).json.errcode).toBe(200017)
  })

  it('adds a template from JSON or a form, lists it with its content, and deletes it', async () => {
    const { token } = await t.setup()
    const add = await t.post(`/wxaapi/newtmpl/addtemplate?access_token=${token}`, {
      tid: '1001',
      kidList: [1, 3],
      sceneDesc: '发货',
    })
    expect(add.json.errcode).toBe(0)
    const form = await fetch(`${t.url}/wxaapi/newtmpl/addtemplate?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'tid=1002&kidList=1&kidList=2',
    }).then((r) => r.json() as Promise<Record<string, unknown>>)
    expect(form.errcode).toBe(0)
    const list = (await t.get(`/wxaapi/newtmpl/gettemplate?access_token=${token}`)).json as {
      data: Record<string, unknown>[]
    }
    expect(list.data[0]).toMatchObject({
      priTmplId: add.json.priTmplId,
      title: '订单发货通知',
      content: '商品名称:{{thing1.DATA}}\n发货时间:{{time3.DATA}}\n',
      type: 2,
    })
    expect(
      (await t.post(`/wxaapi/newtmpl/deltemplate?access_token=${token}`, { priTmplId: add.json.priTmplId }))
        .json.errcode,
    ).toBe(0)
    expect(
      ((await t.get(`/wxaapi/newtmpl/gettemplate?access_token=${token}`)).json.data as unknown[]).length,
    ).toBe(1)
  })

  it('enforces 2 to 5 keywords, a valid tid, a short sceneDesc and the private template limit', async () => {
    await t.close()
    t = await startTestSim({ limits: { privateTemplates: 1 } })
    const { token } = await t.setup()
    const add = (b: unknown) => t.post(`/wxaapi/newtmpl/addtemplate?access_token=${token}`, b)
    expect((await add({ tid: '1001', kidList: [1] })).json.errcode).toBe(200020)
    expect((await add({ tid: '1001', kidList: [1, 2, 3, 4, 5, 6] })).json.errcode).toBe(200020)
    expect((await add({ tid: '9999', kidList: [1, 2] })).json.errcode).toBe(200014)
    expect((await add({ tid: '1001', kidList: [1, 2], sceneDesc: '一'.repeat(16) })).json.errcode).toBe(
      200021,
    )
    expect((await add({ tid: '1001', kidList: [1, 2] })).json.errcode).toBe(0)
    expect((await add({ tid: '1001', kidList: [1, 2] })).json.errcode).toBe(200012)
  })

  it('lists enum values of a control-made template with keywordEnumValueList', async () => {
    const { appid, token } = await t.setup()
    await t.template(appid, 2, [{ key: 'enum_string2', name: '状态', enumValues: ['待支付', '已支付'] }])
    const list = (await t.get(`/wxaapi/newtmpl/gettemplate?access_token=${token}`)).json as {
      data: Record<string, unknown>[]
    }
    expect(list.data[0]?.keywordEnumValueList).toEqual([
      { keywordCode: 'enum_string2.DATA', enumValueList: ['待支付', '已支付'] },
    ])
  })
})
