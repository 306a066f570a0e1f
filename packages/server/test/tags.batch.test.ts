// Tags on users (PUT /v1/users/:id/tags, GET /v1/users?tag=) and batch sends (POST /v1/messages/batch),
// over real HTTP on both databases.
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { messagesSettled, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

interface TaggedPage {
  items: { id: string; openid: string; tags: string[] }[]
  nextCursor: string | null
}
interface BatchAnswer {
  results: {
    index: number
    id?: string
    status?: string
    duplicate?: boolean
    error?: { code: string; message: string; details: Record<string, unknown> }
  }[]
}

describe.each(DB_KINDS)('tags on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('adds and removes tags and answers the user with its tags', async () => {
    const u = await createTestUser(stack)
    const added = await stack.api('PUT', `/v1/users/${u.userId}/tags`, { add: ['meeting-42', 'vip', 'vip'] })
    expect(added.status).toBe(200)
    expect(added.body).toEqual({ id: u.userId, tags: ['meeting-42', 'vip'] })
    const removed = await stack.api('PUT', `/v1/users/${u.userId}/tags`, {
      remove: ['vip'],
      add: ['a:b.c_d'],
    })
    expect(removed.body).toEqual({ id: u.userId, tags: ['a:b.c_d', 'meeting-42'] })
  })

  it('lists the users of a tag page by page', async () => {
    const users = [await createTestUser(stack), await createTestUser(stack), await createTestUser(stack)]
    for (const u of users) await stack.api('PUT', `/v1/users/${u.userId}/tags`, { add: ['paged'] })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { body: TaggedPage } = await stack.api<TaggedPage>(
        'GET',
        `/v1/users?tag=paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      )
      for (const item of page.body.items) {
        expect(item.tags).toContain('paged')
        seen.push(item.id)
      }
      cursor = page.body.nextCursor
    } while (cursor)
    expect(seen.sort()).toEqual(users.map((u) => u.userId).sort())
  })

  it('refuses a bad tag with 422 naming it, and changes nothing', async () => {
    const u = await createTestUser(stack)
    for (const bad of ['', 'has space', 'x'.repeat(65), '标签']) {
      const res = await stack.api<{ error: { code: string; details: { tag: string } } }>(
        'PUT',
        `/v1/users/${u.userId}/tags`,
        { add: ['ok', bad] },
      )
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('users.tag_invalid')
      expect(res.body.error.details.tag).toBe(bad)
    }
    const list = await stack.api<TaggedPage>('GET', '/v1/users?tag=ok')
    expect(list.body.items).toEqual([])
    const query = await stack.api<{ error: { code: string } }>('GET', '/v1/users?tag=bad%20tag')
    expect(query.status).toBe(422)
  })

  it('answers 404 for tags of an unknown user', async () => {
    const res = await stack.api<{ error: { code: string } }>('PUT', '/v1/users/usr_nobody/tags', {
      add: ['x'],
    })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('users.not_found')
  })
})

describe.each(DB_KINDS)('batch sends on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('accepts and refuses each item on its own, in input order, with the single-send error shapes', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const withCredit = await createTestUser(stack)
    const without = await createTestUser(stack)
    await withCredit.accept([templateId])
    await withCredit.accept([templateId])

    const res = await stack.api<BatchAnswer>(
      'POST',
      '/v1/messages/batch',
      {
        messages: [
          { to: { openid: withCredit.openid }, template: 'order_notice', data: ORDER_DATA },
          { to: { openid: without.openid }, template: 'order_notice', data: ORDER_DATA },
          {
            to: { openid: withCredit.openid },
            template: 'order_notice',
            data: { ...ORDER_DATA, number2: 'abc' },
          },
          { to: { openid: 'nobody' }, template: 'order_notice', data: ORDER_DATA },
          { to: { openid: withCredit.openid }, template: 'no_such_template', data: ORDER_DATA },
          { to: {}, template: 'order_notice', data: ORDER_DATA },
          {
            to: { openid: withCredit.openid },
            template: 'order_notice',
            data: ORDER_DATA,
            idempotencyKey: 'k1',
          },
          {
            to: { openid: withCredit.openid },
            template: 'order_notice',
            data: ORDER_DATA,
            idempotencyKey: 'k1',
          },
        ],
      },
      { 'accept-language': 'en' },
    )
    expect(res.status).toBe(200)
    const r = res.body.results
    expect(r.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(r[0]).toMatchObject({ status: 'queued' })
    expect(r[1]?.error?.code).toBe('messages.no_credit')
    expect(r[1]?.error?.message).toMatch(/credit/)
    expect(r[2]?.error?.code).toBe('messages.content_invalid')
    expect(r[2]?.error?.details['violations']).toBeDefined()
    expect(r[3]?.error?.code).toBe('messages.recipient_unknown')
    expect(r[4]?.error?.code).toBe('templates.not_found')
    expect(r[5]?.error?.code).toBe('request.invalid')
    expect(r[6]).toMatchObject({ status: 'queued' })
    expect(r[7]).toMatchObject({ id: r[6]?.id, duplicate: true })

    const settled = await messagesSettled(stack.wxpush.services.db, 30_000)
    expect(settled).toEqual({ sent: 2 })
    // Two accepts, two messages: the duplicate took nothing.
    const ledger = await sql<{ used: number }>`
      SELECT used FROM consents WHERE user_id = ${withCredit.userId}`.execute(stack.wxpush.services.db)
    expect(ledger.rows[0]?.used).toBe(2)
    expect(await withCredit.inbox()).toHaveLength(2)
  })

  it('refuses an empty batch and one over 1 000 items as a whole', async () => {
    const empty = await stack.api<{ error: { code: string } }>('POST', '/v1/messages/batch', { messages: [] })
    expect(empty.status).toBe(400)
    const big = await stack.api<{ error: { code: string } }>('POST', '/v1/messages/batch', {
      messages: Array.from({ length: 1001 }, () => ({ to: { openid: 'x' }, template: 't', data: {} })),
    })
    expect(big.status).toBe(400)
    expect(big.body.error.code).toBe('request.invalid')
  })
})
