// buildApp(): the Fastify instance with every domain's routes. No listen() here: tests use inject()
// or listen on port 0 themselves.
import { readFileSync } from 'node:fs'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { accessTokenRoutes } from './tokens/tokens.routes.ts'
import { createAdminAuth } from './admin/admin.auth.ts'
import { adminRoutes } from './admin/admin.routes.ts'
import { callbacksRoutes } from './callbacks/callbacks.routes.ts'
import { campaignsRoutes } from './campaigns/campaigns.routes.ts'
import { consentsRoutes } from './consents/consents.routes.ts'
import { answerShapeOptions, installAnswerShape } from './http/answer-shape.ts'
import { installErrorHandler } from './http/http.error-handler.ts'
import { createApiKeyAuth, createSessionAuth } from './http/auth.ts'
import { healthRoutes } from './http/health.routes.ts'
import { installValidation } from './http/validation.ts'
import { installOpenApi } from './http/openapi.ts'
import { installResponseCheck } from './http/response-check.ts'
import { messagesRoutes } from './messages/messages.routes.ts'
import { metricsRoutes } from './metrics/metrics.routes.ts'
import { rateLimitsRoutes } from './ratelimits/ratelimits.routes.ts'
import { webhooksRoutes } from './webhooks/webhooks.routes.ts'
import { webhookAllowPrivate } from './webhooks/webhooks.sender.ts'
import { templatesRoutes } from './templates/templates.routes.ts'
import { usersRoutes } from './users/users.routes.ts'
import { trustProxyOption } from './config.ts'
import type { Services } from './services.ts'

const SERVICE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

export async function buildApp({
  services,
  logger,
}: {
  services: Services
  logger: Logger
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One log line per request only at debug level: at 1 000 requests a second it is noise.
    logController: new LogController({ disableRequestLogging: !logger.isLevelEnabled('debug') }),
    bodyLimit: 256 * 1024,
    // Behind a reverse proxy, request.ip (the login limiter's key) is the client's only when trusted.
    trustProxy: trustProxyOption(services.config.WXPUSH_TRUST_PROXY),
    // Explicit timeouts: a slow client cannot hold a socket forever.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    ...answerShapeOptions,
  })
  app.decorateRequest('apiKey', null)
  app.decorateRequest('session', null)
  installErrorHandler(app)
  installAnswerShape(app)
  installValidation(app)
  await installOpenApi(app, SERVICE_VERSION)
  if (services.config.WXPUSH_CHECK_RESPONSES) installResponseCheck(app)

  const s = services
  const requireApiKey = createApiKeyAuth(s.apps)
  const requireSession = createSessionAuth(s.login)

  await app.register(healthRoutes({ db: s.db, kind: s.dbKind, tokens: s.tokens }))
  await app.register(metricsRoutes({ metrics: s.metrics }))
  await app.register(
    webhooksRoutes({
      db: s.db,
      store: s.webhooksStore,
      secrets: s.secrets,
      allowPrivate: webhookAllowPrivate(s.config),
      requireApiKey,
    }),
  )
  await app.register(
    rateLimitsRoutes({
      db: s.db,
      store: s.rateLimitsStore,
      limiter: s.rateLimiter,
      defaultPerS: s.config.WXPUSH_RATE_LIMIT_PER_S,
      requireApiKey,
    }),
  )
  await app.register(
    usersRoutes({
      db: s.db,
      login: s.login,
      store: s.usersStore,
      tags: s.tagsStore,
      ledger: s.ledger,
      loginRatePerMin: s.config.WXPUSH_LOGIN_RATE_PER_MIN,
      requireApiKey,
    }),
  )
  await app.register(
    consentsRoutes({
      db: s.db,
      ledger: s.ledger,
      requireSession,
      confirmWindowS: s.consentConfirmWindowS,
      idsPerCall: s.config.WXPUSH_SUBSCRIBE_IDS_PER_CALL,
    }),
  )
  await app.register(
    callbacksRoutes({ receiver: s.callbackReceiver, configs: s.callbackConfigs, requireApiKey }),
  )
  await app.register(
    adminRoutes({
      apps: s.apps,
      tokens: s.tokens,
      defaultTokenMode: s.config.WXPUSH_TOKEN_MODE,
      requireAdminKey: createAdminAuth({ keyHash: s.adminKeyHash }),
      forgetApiKey: requireApiKey.forget,
    }),
  )
  await app.register(
    accessTokenRoutes({ enabled: s.config.WXPUSH_EXPOSE_ACCESS_TOKEN, tokens: s.tokens, requireApiKey }),
  )
  await app.register(templatesRoutes({ templates: s.templates, requireApiKey }))
  await app.register(
    messagesRoutes({
      db: s.db,
      outbox: s.outbox,
      batch: s.batch,
      store: s.messagesStore,
      templates: s.templates,
      requireApiKey,
    }),
  )
  await app.register(
    campaignsRoutes({
      db: s.db,
      store: s.campaignsStore,
      audience: s.campaignAudience,
      lifecycle: s.campaignLifecycle,
      requireApiKey,
    }),
  )
  return app
}
