// Control API errors: `{"error": {"code": "simulator.snake_case", "message": "中文 / English", "details"}}`
// with a 4xx status, the shape docs/api.md gives every wxpush error.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { App, User } from '../world.ts'

const CATALOGUE = {
  app_not_found: [404, '找不到该小程序', 'No such app'],
  app_exists: [409, '该 appid 已存在', 'This appid already exists'],
  user_not_found: [404, '找不到该用户', 'No such user in this app'],
  user_exists: [409, '该 openid 已存在', 'This openid already exists'],
  template_not_found: [404, '找不到该模板', 'No such template in this app'],
  invalid_body: [400, '请求参数不正确', 'Invalid request body'],
} as const

export type ControlErrorCode = keyof typeof CATALOGUE

export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code)
  }
}

export function sendControlError(reply: FastifyReply, err: ControlError): FastifyReply {
  const [status, zh, en] = CATALOGUE[err.code]
  return reply
    .code(status)
    .send({ error: { code: `simulator.${err.code}`, message: `${zh} / ${en}`, details: err.details } })
}

export function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const raw = req.body
  if (raw === undefined || raw === null || raw === '') return {}
  if (typeof raw === 'object' && !Buffer.isBuffer(raw)) return raw as Record<string, unknown>
  try {
    const v: unknown = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw))
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new ControlError('invalid_body', { reason: 'JSON object expected' })
}

export function paramsOf(req: FastifyRequest): Record<string, string> {
  return req.params as Record<string, string>
}

export function findApp(ctx: SimContext, appid: string | undefined): App {
  const app = appid === undefined ? undefined : ctx.world.apps.get(appid)
  if (!app) throw new ControlError('app_not_found', { appid })
  return app
}

export function findUser(
  ctx: SimContext,
  appid: string | undefined,
  openid: string | undefined,
): { app: App; user: User } {
  const app = findApp(ctx, appid)
  const user = openid === undefined ? undefined : app.users.get(openid)
  if (!user) throw new ControlError('user_not_found', { appid, openid })
  return { app, user }
}
