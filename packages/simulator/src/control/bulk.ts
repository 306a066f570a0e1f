// POST /control/apps/:appid/users/bulk {count, credits: {<priTmplId>: n}} → {openids}
// A seeding shortcut for benchmarks and demos: `count` users who each accepted every listed one-time
// template `n` times (long-term templates: accepted once). No popup events are pushed: a benchmark
// of 5 000 users × 10 accepts would otherwise spend minutes in the setup.
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import { ControlError, bodyOf, findApp, paramsOf } from './control-errors.ts'

const MAX_BULK_USERS = 100_000

export function registerBulkControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/apps/:appid/users/bulk', async (req) => {
    const a = findApp(ctx, paramsOf(req).appid)
    const b = bodyOf(req)
    const count = b.count
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BULK_USERS) {
      throw new ControlError('invalid_body', { field: 'count', rule: `integer 1..${MAX_BULK_USERS}` })
    }
    const credits = (b.credits ?? {}) as Record<string, unknown>
    if (typeof credits !== 'object' || Array.isArray(credits))
      throw new ControlError('invalid_body', { field: 'credits' })
    for (const [id, n] of Object.entries(credits)) {
      if (!a.templates.get(id) || a.templates.get(id)?.deleted)
        throw new ControlError('template_not_found', { templateId: id })
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        throw new ControlError('invalid_body', { field: `credits.${id}` })
    }
    const now = ctx.world.clock.now()
    const openids: string[] = []
    for (let i = 0; i < count; i++) {
      const user = ctx.world.createUser(a)
      for (const [id, n] of Object.entries(credits as Record<string, number>)) {
        const type = a.templates.get(id)!.type
        user.consents.set(id, { status: 'accept', credits: type === 2 ? n : 0, updatedAt: now })
      }
      openids.push(user.openid)
    }
    return { openids }
  })
}
