// The access_token check every business API starts with (docs/wechat.md §0.1, §1.3):
// missing → 41001; not a token's shape → 40014; unknown, invalidated, or replaced and past its
// 5-minute grace → 40001 ("not latest"); past its 2 hours → 42001.
import type { FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { App } from '../world.ts'
import { type Answer, queryOf, wxError } from './answer.ts'

const TOKEN_SHAPE = /^\d+_[A-Za-z0-9_-]{20,}$/

export type Authenticated = { app: App; answer?: undefined } | { app?: undefined; answer: Answer }

export function authenticate(ctx: SimContext, req: FastifyRequest): Authenticated {
  const token = queryOf(req).access_token
  if (token === undefined || token === '') return { answer: wxError(ctx, 41001) }
  const record = ctx.world.tokens.get(token)
  if (!record) return { answer: wxError(ctx, TOKEN_SHAPE.test(token) ? 40001 : 40014) }
  if (record.invalidated) return { answer: wxError(ctx, 40001) }
  const now = ctx.clock.now()
  if (record.graceUntil !== undefined && now >= record.graceUntil && record.graceUntil < record.expiresAt) {
    return { answer: wxError(ctx, 40001) }
  }
  if (now >= record.expiresAt) return { answer: wxError(ctx, 42001) }
  const app = ctx.world.apps.get(record.appid)
  if (!app) return { answer: wxError(ctx, 40001) }
  return { app }
}
