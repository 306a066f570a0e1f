// createSimulator(): one Fastify instance serving WeChat's paths, the control API and the inbox
// page, over in-memory state. `listen()` defaults to 127.0.0.1 on a free port.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { createCallbackPusher } from './callbacks/callback-push.ts'
import { createClock } from './clock.ts'
import { DEFAULT_LIMITS, type Limits, type SimContext } from './context.ts'
import { registerAppControl } from './control/apps.ts'
import { ControlError, sendControlError } from './control/control-errors.ts'
import { registerCustomerControl } from './control/customer.ts'
import { registerFaultStatsControl } from './control/faults-stats.ts'
import { registerBulkControl } from './control/bulk.ts'
import { registerUserControl } from './control/users.ts'
import { Faults } from './faults.ts'
import { registerInboxPage } from './inbox/inbox-page.ts'
import { Stats } from './stats.ts'
import { registerCustomerServiceRoutes } from './wechat-api/customer-service.ts'
import { registerLegacyRoutes } from './wechat-api/legacy.ts'
import { registerOfficialAccountRoutes } from './wechat-api/official-account.ts'
import { registerMediaRoutes } from './wechat-api/media.ts'
import { registerLoginRoutes } from './wechat-api/login.ts'
import { registerQuotaRoutes } from './wechat-api/quota.ts'
import { registerSubscribeSendRoute } from './wechat-api/subscribe-send.ts'
import { registerTemplateRoutes } from './wechat-api/templates.ts'
import { registerTokenRoutes } from './wechat-api/token.ts'
import { World } from './world.ts'

export interface SimulatorOptions {
  /** Base clock in ms (default Date.now); `POST /control/clock` adds an offset to it. */
  now?: () => number
  /** Fastify request logging (default false: no per-request logging). */
  logger?: boolean
  /** The retired template/uniform endpoints behave as in 2019 instead of answering 48001/45109. */
  legacy2019?: boolean
  /** Push events to apps' callback URLs (default true). */
  pushCallbacks?: boolean
  /** Override WeChat's limits (daily quotas, rates), e.g. a low `subscribeSendDaily` for a test. */
  limits?: Partial<Limits>
  /** Waits between callback attempts (default [1000, 2000]: three attempts in all). */
  callbackRetryDelaysMs?: number[]
  /** How long a callback URL may take to answer before the attempt counts as failed (default 5000). */
  callbackTimeoutMs?: number
  /** Random source for fault rates (default Math.random). */
  random?: () => number
  /** A kept choice ("always keep", no popup) pushes the popup event too (default true; WeChat: unconfirmed). */
  keptChoiceEvents?: boolean
}

export interface Simulator {
  app: FastifyInstance
  /**
   * Starts listening; default 127.0.0.1 and a free port. Returns the base URL `http://127.0.0.1:PORT`.
   * The control API hands out app secrets and AES keys without auth, so a host other than a loopback
   * address is refused unless `allowRemote` says the caller means it.
   */
  listen(opts?: { port?: number; host?: string; allowRemote?: boolean }): Promise<string>
  close(): Promise<void>
  /** The in-memory state, for in-process inspection in tests. */
  world: World
  /** Resolves when every callback push started so far was delivered or given up. */
  callbacksIdle(): Promise<void>
  /** The simulator's context (clock, faults, stats), for in-process use. */
  context: SimContext
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts the simulator listens on by default. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1'
  )
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  const clock = createClock(opts.now)
  const stats = new Stats()
  const ctx: SimContext = {
    world: new World(clock),
    clock,
    faults: new Faults(opts.random),
    stats,
    callbacks: createCallbackPusher({
      enabled: opts.pushCallbacks ?? true,
      stats,
      now: clock.now,
      retryDelaysMs: opts.callbackRetryDelaysMs,
      timeoutMs: opts.callbackTimeoutMs,
    }),
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    legacy2019: opts.legacy2019 ?? false,
    keptChoiceEvents: opts.keptChoiceEvents ?? true,
  }

  const app = Fastify({
    logger: opts.logger ?? false,
    // Fastify's own answer to a bad URL quotes it (the AppSecret of /cgi-bin/token with it).
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(err.statusCode ?? 400).send({
        error: { code: 'simulator.bad_request', message: `请求有误 / Bad request (${err.code})` },
      })
    },
  })
  // WeChat reads bodies whatever their content type; handlers parse JSON themselves (47001 on error).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  // media/upload: the file stays bytes.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  )
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ControlError) return sendControlError(reply, err)
    const status = (err as { statusCode?: number }).statusCode ?? 500
    // A client error's message can quote the URL (a bad percent-encoding, say), and the URL of
    // /cgi-bin/token holds the AppSecret: answer the error's code, never its text.
    if (status < 500) {
      const code = String((err as { code?: unknown }).code ?? 'bad_request')
      return reply.code(status).send({
        error: { code: 'simulator.bad_request', message: `请求有误 / Bad request (${code})` },
      })
    }
    return reply.code(status).send({
      error: {
        code: 'simulator.internal',
        message: `模拟器内部错误 / Simulator error: ${(err as Error).message}`,
      },
    })
  })
  // Fastify's default 404 quotes the method and the whole URL, query included: for /cgi-bin/token
  // that is the AppSecret. Name nothing of the request.
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({
      error: { code: 'simulator.not_found', message: '模拟器没有这个接口 / No such path in the simulator' },
    }),
  )

  registerTokenRoutes(ctx, app)
  registerLoginRoutes(ctx, app)
  registerSubscribeSendRoute(ctx, app)
  registerTemplateRoutes(ctx, app)
  registerCustomerServiceRoutes(ctx, app)
  registerLegacyRoutes(ctx, app)
  registerOfficialAccountRoutes(ctx, app)
  registerMediaRoutes(ctx, app)
  registerQuotaRoutes(ctx, app)
  registerAppControl(ctx, app)
  registerBulkControl(ctx, app)
  registerUserControl(ctx, app)
  registerCustomerControl(ctx, app)
  registerFaultStatsControl(ctx, app)
  registerInboxPage(ctx, app)

  return {
    app,
    world: ctx.world,
    context: ctx,
    callbacksIdle: () => ctx.callbacks.idle(),
    async listen(listenOpts = {}) {
      const host = listenOpts.host ?? '127.0.0.1'
      if (!isLoopbackHost(host) && !listenOpts.allowRemote) {
        throw new Error(
          `模拟器的控制接口无需认证即可取得 AppSecret，只能监听本机地址；确需监听 ${host} 请显式允许（--allow-remote）/ ` +
            `the control API hands out app secrets without auth, so the simulator listens on loopback only; ` +
            `to listen on ${host} allow it explicitly (--allow-remote)`,
        )
      }
      await app.listen({ port: listenOpts.port ?? 0, host })
      const addr = app.server.address()
      const port = typeof addr === 'object' && addr ? addr.port : (listenOpts.port ?? 0)
      const shownHost = host.includes(':') ? `[${host}]` : host
      return `http://${shownHost}:${port}`
    },
    async close() {
      await app.close()
    },
  }
}
