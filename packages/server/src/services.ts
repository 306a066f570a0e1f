// The composition root's wiring: every store and engine built from config, database and WeChat
// client, with no module-level state. main.ts, the dev command and the tests all call this.
import type { WechatClient } from '@wxpush/wechat'
import { createWechatClient } from '@wxpush/wechat'
import type { Logger } from 'pino'
import { createAppsRegistry } from './apps/apps.registry.ts'
import { createAppsStore } from './apps/apps.store.ts'
import type { Config } from './config.ts'
import { createLedger } from './consents/consents.ledger.ts'
import { createConsentsStore } from './consents/consents.store.ts'
import type { DbHandle } from './db/db.ts'
import { createDispatcher } from './messages/messages.dispatcher.ts'
import { createOutbox } from './messages/messages.outbox.ts'
import { createMessagesStore } from './messages/messages.store.ts'
import type { SecretBox } from './secrets/secrets.box.ts'
import { createTemplateRegistry } from './templates/templates.sync.ts'
import { createTemplatesStore } from './templates/templates.store.ts'
import { createTokenProvider } from './tokens/tokens.provider.ts'
import { createTokensStore } from './tokens/tokens.store.ts'
import { createLogin } from './users/users.login.ts'
import { createUsersStore } from './users/users.store.ts'

export function createServices(p: {
  config: Config
  dbHandle: DbHandle
  secrets: SecretBox
  logger: Logger
  wechat?: WechatClient
}) {
  const { config, secrets, logger } = p
  const db = p.dbHandle.db
  const wechat =
    p.wechat ??
    createWechatClient({ baseUrl: config.WXPUSH_WECHAT_BASE_URL, timeoutMs: config.WXPUSH_WECHAT_TIMEOUT_MS })

  const apps = createAppsRegistry({ store: createAppsStore({ db }), secrets })
  const tokens = createTokenProvider({
    store: createTokensStore({ db }),
    apps,
    wechat,
    secrets,
    onRefresh: (appId) => logger.info({ appId }, 'access_token refreshed / 已刷新 access_token'),
  })
  const usersStore = createUsersStore({ db })
  const login = createLogin({
    store: usersStore,
    apps,
    wechat,
    secrets,
    sessionTtlS: config.WXPUSH_SESSION_TTL_S,
  })
  const ledger = createLedger({ store: createConsentsStore() })
  const templates = createTemplateRegistry({ store: createTemplatesStore({ db }), wechat, tokens })
  const messagesStore = createMessagesStore()

  const dispatcher = createDispatcher({
    db,
    store: messagesStore,
    ledger,
    tokens,
    wechat,
    options: {
      batch: config.WXPUSH_DISPATCH_BATCH,
      concurrency: config.WXPUSH_DISPATCH_CONCURRENCY,
      pollMs: config.WXPUSH_DISPATCH_POLL_MS,
      leaseMs: config.WXPUSH_LEASE_MS,
      maxAttempts: config.WXPUSH_MAX_ATTEMPTS,
      retryUncertain: config.WXPUSH_RETRY_UNCERTAIN,
    },
    observer: { onError: (err) => logger.error({ err }, 'dispatch error / 发送出错') },
  })
  const outbox = createOutbox({
    db,
    store: messagesStore,
    ledger,
    templates,
    users: usersStore,
    onEnqueued: () => dispatcher.wake(),
  })

  return {
    config,
    db,
    dbKind: p.dbHandle.kind,
    wechat,
    apps,
    tokens,
    usersStore,
    login,
    ledger,
    templates,
    messagesStore,
    outbox,
    dispatcher,
  }
}

export type Services = ReturnType<typeof createServices>
