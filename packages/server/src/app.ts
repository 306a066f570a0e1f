// buildApp(): the Fastify instance with every domain's routes. No listen() here: tests use inject()
// or listen on port 0 themselves.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { consentsRoutes } from './consents/consents.routes.ts'
import { installErrorHandler } from './errors.ts'
import { createApiKeyAuth, createSessionAuth } from './http/auth.ts'
import { healthRoutes } from './http/health.routes.ts'
import { messagesRoutes } from './messages/messages.routes.ts'
import { templatesRoutes } from './templates/templates.routes.ts'
import { usersRoutes } from './users/users.routes.ts'
import type { Services } from './services.ts'

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
    // Explicit timeouts: a slow client cannot hold a socket forever.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  })
  app.decorateRequest('apiKey', null)
  app.decorateRequest('session', null)
  installErrorHandler(app)

  const s = services
  const requireApiKey = createApiKeyAuth(s.apps)
  const requireSession = createSessionAuth(s.login)

  await app.register(healthRoutes({ db: s.db, kind: s.dbKind }))
  await app.register(
    usersRoutes({
      db: s.db,
      login: s.login,
      store: s.usersStore,
      ledger: s.ledger,
      loginRatePerMin: s.config.WXPUSH_LOGIN_RATE_PER_MIN,
      requireApiKey,
    }),
  )
  await app.register(consentsRoutes({ db: s.db, ledger: s.ledger, requireSession }))
  await app.register(templatesRoutes({ templates: s.templates, requireApiKey }))
  await app.register(
    messagesRoutes({
      db: s.db,
      outbox: s.outbox,
      store: s.messagesStore,
      ledger: s.ledger,
      templates: s.templates,
      requireApiKey,
    }),
  )
  return app
}
