// The template registry through the API, over real HTTP against the simulator, on both databases:
// WeChat's public library, adding a private template under an alias, deleting it, enum values kept
// from keywordEnumValueList, and WeChat's refusals answered with their errcode and explanation.
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { useTestStack } from '../src/testing/test-stack.ts'
import { createTestUser } from '../src/testing/test-users.ts'

interface Keyword {
  key: string
  type: string
  name: string
  enumValues?: string[]
}
interface TemplateView {
  id: string
  alias: string | null
  title: string
  kind: string
  keywords: Keyword[]
}
interface ErrorBody {
  error: {
    code: string
    message: string
    details: {
      errcode?: number
      explanation?: { zh: string; en: string }
      fields?: { field: string }[]
    }
  }
}

describe.each(DB_KINDS)('the template registry API on %s', (kind) => {
  const stack = useTestStack({ kind })
  const templates = async () =>
    (await stack.api<{ items: TemplateView[] }>('GET', '/v1/templates')).body.items

  it('lists the categories, titles and keywords of the public library', async () => {
    const cats = await stack.api<{ items: { id: number; name: string }[] }>(
      'GET',
      '/v1/templates/library/categories',
    )
    expect(cats.status).toBe(200)
    expect(cats.body.items.map((c) => c.id)).toEqual([307, 616, 768])

    const titles = await stack.api<{
      count: number
      items: { tid: number; title: string; kind: string; categoryId: string }[]
    }>('GET', '/v1/templates/library?ids=307,768&start=0&limit=10')
    expect(titles.status).toBe(200)
    expect(titles.body.count).toBe(2)
    expect(titles.body.items).toEqual([
      { tid: 1001, title: '订单发货通知', kind: 'one_time', categoryId: '307' },
      { tid: 1003, title: '课程上课提醒', kind: 'long_term', categoryId: '768' },
    ])

    // Without ids: every category of the app.
    const all = await stack.api<{ count: number }>('GET', '/v1/templates/library?limit=2')
    expect(all.body.count).toBe(4)

    const kws = await stack.api<{ tid: number; items: { kid: number; type: string; name: string }[] }>(
      'GET',
      '/v1/templates/library/1001/keywords',
    )
    expect(kws.status).toBe(200)
    expect(kws.body.items.map((k) => `${k.type}${k.kid}`)).toEqual([
      'thing1',
      'character_string2',
      'time3',
      'phrase4',
      'amount5',
    ])
  })

  it('adds a private template from the library under an alias and sends nothing to WeChat when the alias is taken', async () => {
    const added = await stack.api<TemplateView>('POST', '/v1/templates', {
      tid: 1001,
      kidList: [1, 2, 4],
      sceneDesc: '发货后通知',
      alias: 'order_shipped',
    })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({
      alias: 'order_shipped',
      title: '订单发货通知',
      kind: 'one_time',
      keywords: [
        { key: 'thing1', type: 'thing', name: '商品名称' },
        { key: 'character_string2', type: 'character_string', name: '快递单号' },
        { key: 'phrase4', type: 'phrase', name: '订单状态' },
      ],
    })
    expect((await templates()).find((t) => t.alias === 'order_shipped')?.id).toBe(added.body.id)

    const stats = async () =>
      (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
        .calls['/wxaapi/newtmpl/addtemplate']?.total
    const before = await stats()
    const again = await stack.api<ErrorBody>('POST', '/v1/templates', {
      tid: 1002,
      kidList: [1, 2],
      alias: 'order_shipped',
    })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('templates.alias_taken')
    expect(await stats()).toBe(before)
  })

  it('deletes a private template at WeChat and frees its alias for the replacement', async () => {
    const first = await stack.api<TemplateView>('POST', '/v1/templates', {
      tid: 1002,
      kidList: [1, 2, 3],
      alias: 'booking_done',
    })
    expect(first.status).toBe(201)

    const del = await stack.api('DELETE', `/v1/templates/${first.body.id}`)
    expect(del.status).toBe(200)
    expect(del.body).toEqual({ id: first.body.id, alias: 'booking_done', deleted: true })
    expect((await templates()).some((t) => t.id === first.body.id)).toBe(false)
    const app = await stack.control<{ templates: string[] }>(`/control/apps/${stack.appId}`, undefined, 'GET')
    expect(app.templates).not.toContain(first.body.id)

    const send = await stack.api<ErrorBody>('POST', '/v1/messages', {
      to: { openid: 'nobody' },
      template: 'booking_done',
      data: {},
    })
    expect(send.status).toBe(404)
    expect(send.body.error.code).toBe('templates.not_found')

    const replacement = await stack.api<TemplateView>('POST', '/v1/templates', {
      tid: 1002,
      kidList: [1, 2, 3, 4],
      alias: 'booking_done',
    })
    expect(replacement.status).toBe(201)
    expect(replacement.body.alias).toBe('booking_done')
    expect(replacement.body.keywords).toHaveLength(4)

    // Sync keeps the deleted one deleted; deleting it again is a 404.
    expect((await stack.api('POST', '/v1/templates/sync')).status).toBe(200)
    const gone = await stack.api<ErrorBody>('DELETE', `/v1/templates/${first.body.id}`)
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('templates.not_found')
  })

  it('catches up when WeChat deleted the template already', async () => {
    const t = await stack.api<TemplateView>('POST', '/v1/templates', { tid: 1004, kidList: [1, 3] })
    expect(t.status).toBe(201)
    expect(t.body.alias).toBeNull()
    // Deleted at "WeChat" behind wxpush's back, straight through WeChat's own API path.
    const token = await stack.wxpush.services.tokens.get(stack.appId)
    const direct = await fetch(`${stack.simulatorUrl}/wxaapi/newtmpl/deltemplate?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ priTmplId: t.body.id }),
    })
    expect(await direct.json()).toMatchObject({ errcode: 0 })
    const del = await stack.api('DELETE', `/v1/templates/${t.body.id}`)
    expect(del.status).toBe(200)
    expect((await templates()).some((x) => x.id === t.body.id)).toBe(false)
  })

  it('keeps enum values from keywordEnumValueList and refuses a value outside them', async () => {
    const { priTmplId } = await stack.control<{ priTmplId: string }>(
      `/control/apps/${stack.appId}/templates`,
      {
        title: '审核结果通知',
        type: 2,
        keywords: [
          { key: 'thing1', name: '申请事项' },
          { key: 'enum2', name: '审核结果', enumValues: ['通过', '驳回'] },
        ],
      },
    )
    expect((await stack.api('POST', '/v1/templates/sync')).status).toBe(200)
    const t = (await templates()).find((x) => x.id === priTmplId)
    expect(t?.keywords).toEqual([
      { key: 'thing1', type: 'thing', name: '申请事项' },
      { key: 'enum2', type: 'enum', name: '审核结果', enumValues: ['通过', '驳回'] },
    ])
    const user = await createTestUser(stack)
    const send = (value: string) =>
      stack.api<ErrorBody & { error: { details: { violations: { key: string; rule: string }[] } } }>(
        'POST',
        '/v1/messages',
        { to: { openid: user.openid }, template: priTmplId, data: { thing1: '报销申请', enum2: value } },
      )
    const refused = await send('待定')
    expect(refused.status).toBe(422)
    expect(refused.body.error.details.violations).toMatchObject([{ key: 'enum2', rule: 'enum' }])
    // An allowed value passes validation and reaches the ledger (no credit yet: 409).
    expect((await send('通过')).status).toBe(409)
  })

  it('answers WeChat’s refusal with its errcode and the catalogue’s explanation', async () => {
    const unknownTid = await stack.api<ErrorBody>('POST', '/v1/templates', {
      tid: 999999,
      kidList: [1, 2],
    })
    expect(unknownTid.status).toBe(422)
    expect(unknownTid.body.error.code).toBe('templates.wechat_refused')
    expect(unknownTid.body.error.details.errcode).toBe(200014)
    expect(unknownTid.body.error.details.explanation?.zh).toContain('tid')
    expect(unknownTid.body.error.details.explanation?.en).toContain('tid')

    const kw = await stack.api<ErrorBody>('GET', '/v1/templates/library/999999/keywords')
    expect(kw.status).toBe(422)
    expect(kw.body.error.details.errcode).toBe(200014)

    // System busy: not the caller's fault, a 502 to try again.
    await stack.control('/control/faults', { path: '/wxaapi/newtmpl/getcategory', errcode: -1, count: 1 })
    const busy = await stack.api<ErrorBody>('GET', '/v1/templates/library/categories', undefined, {
      'accept-language': 'en',
    })
    expect(busy.status).toBe(502)
    expect(busy.body.error.code).toBe('templates.wechat_failed')
    expect(busy.body.error.details.errcode).toBe(-1)
    expect(busy.body.error.message).toMatch(/WeChat/)
  })

  it('refuses bad library and template input with 400 naming the field before calling WeChat', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/templates', { tid: 1001, kidList: [1] }, 'body.kidList'],
      ['POST', '/v1/templates', { tid: 1001, kidList: [1, 2, 3, 4, 5, 6] }, 'body.kidList'],
      ['POST', '/v1/templates', { tid: 1001, kidList: [1, 1] }, 'body.kidList'],
      [
        'POST',
        '/v1/templates',
        { tid: 1001, kidList: [1, 2], sceneDesc: '一二三四五六七八九十一二三四五六' },
        'body.sceneDesc',
      ],
      ['POST', '/v1/templates', { tid: 'x', kidList: [1, 2] }, 'body.tid'],
      ['POST', '/v1/templates', { tid: 1001, kidList: [1, 2], alias: 'Bad Alias' }, 'body.alias'],
      ['GET', '/v1/templates/library?ids=307,abc', undefined, 'querystring.ids'],
      ['GET', '/v1/templates/library?limit=31', undefined, 'querystring.limit'],
      ['GET', '/v1/templates/library/abc/keywords', undefined, 'params.tid'],
    ]
    for (const [method, path, body, field] of cases) {
      const res = await stack.api<ErrorBody>(method, path, body)
      expect(res.status, `${method} ${path}`).toBe(400)
      expect(res.body.error.code).toBe('request.invalid')
      expect(res.body.error.details.fields?.map((f) => f.field)).toContain(field)
    }
  })
})
