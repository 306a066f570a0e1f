// Registers one WeChat path: faults, stats and the wire format are handled here, once, so each
// handler only decides the answer. No logging, no allocation beyond the answer on the hot path.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { FaultRule } from '../faults.ts'
import type { App } from '../world.ts'
import { type Answer, queryOf, wxError } from './answer.ts'
import { authenticate } from './auth.ts'

export type WxHandler = (req: FastifyRequest) => Answer | Promise<Answer>

const CONTENT_TYPE = 'application/json; encoding=utf-8'

export function wechatRoute(
  ctx: SimContext,
  app: FastifyInstance,
  methods: { GET?: WxHandler; POST?: WxHandler },
  path: string,
): void {
  for (const method of ['GET', 'POST'] as const) {
    const handler = methods[method]
    if (!handler) continue
    app.route({
      method,
      url: path,
      handler: async (req, reply) => {
        const fault = ctx.faults.size === 0 ? undefined : ctx.faults.match(path)
        if (fault && !fault.after) {
          const done = await applyFault(ctx, fault, path, req, reply)
          if (done) return reply
        }
        const answer = await handler(req)
        if (fault?.after) {
          const done = await applyFault(ctx, fault, path, req, reply)
          if (done) return reply
        }
        ctx.stats.count(path, answer.errcode)
        if (answer.file)
          return reply
            .header('content-type', answer.file.contentType)
            .header('content-disposition', 'attachment; filename="media"')
            .send(answer.file.bytes)
        return reply.header('content-type', CONTENT_TYPE).send(answer.body)
      },
    })
  }
}

/** Returns true when the fault answered (or dropped) the call. */
async function applyFault(
  ctx: SimContext,
  fault: FaultRule,
  path: string,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  if (fault.delayMs !== undefined && fault.delayMs > 0) await sleep(fault.delayMs)
  if (fault.invalidateToken) {
    const token = queryOf(req).access_token
    const record = token === undefined ? undefined : ctx.world.tokens.get(token)
    const app = record ? ctx.world.apps.get(record.appid) : undefined
    if (app) ctx.world.invalidateTokens(app)
  }
  if (fault.drop) {
    ctx.stats.count(path, 'dropped')
    reply.hijack()
    req.raw.socket.destroy()
    return true
  }
  if (fault.status !== undefined) {
    ctx.stats.count(path, `http${fault.status}`)
    await reply
      .code(fault.status)
      .header('content-type', 'text/html')
      .send(`<html><body><h1>${fault.status}</h1>simulated fault</body></html>`)
    return true
  }
  if (fault.errcode !== undefined) {
    const answer = wxError(ctx, fault.errcode)
    ctx.stats.count(path, answer.errcode)
    await reply.header('content-type', CONTENT_TYPE).send(answer.body)
    return true
  }
  return false
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A WeChat path that takes `?access_token=`: the handler runs only for a valid token, with its app. */
export function authedRoute(
  ctx: SimContext,
  fastify: FastifyInstance,
  method: 'GET' | 'POST',
  path: string,
  handler: (req: FastifyRequest, app: App) => Answer | Promise<Answer>,
): void {
  wechatRoute(
    ctx,
    fastify,
    {
      [method]: (req: FastifyRequest) => {
        const auth = authenticate(ctx, req)
        return auth.app ? handler(req, auth.app) : auth.answer
      },
    },
    path,
  )
}
