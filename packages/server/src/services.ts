// The composition root's wiring: every store and engine built from config, database and WeChat
// client, with no module-level state. main.ts, the dev command and the tests all call this.
import type { WechatClient } from '@wxpush/wechat'
import { createWechatClient } from '@wxpush/wechat'
import type { Logger } from 'pino'
import { createAppsRegistry } from './apps/apps.registry.ts'
import { createAppsStore } from './apps/apps.store.ts'
import type { Config } from './config.ts'
import { createCallbackConfigs } from './callbacks/callbacks.config.ts'
import { createCallbackHandlers } from './callbacks/callbacks.handlers.ts'
import { createCallbackReceiver } from './callbacks/callbacks.receiver.ts'
import { createCallbacksStore } from './callbacks/callbacks.store.ts'
import { CALLBACK_WORKER_DEFAULTS, createCallbackWorker } from './callbacks/callbacks.worker.ts'
import { createLedger } from './consents/consents.ledger.ts'
import { createConsentsStore } from './consents/consents.store.ts'
import type { DbHandle } from './db/db.ts'
import { createDispatcher } from './messages/messages.dispatcher.ts'
import { createAudience } from './campaigns/campaigns.audience.ts'
import { createCampaignLifecycle } from './campaigns/campaigns.lifecycle.ts'
import {
  createCampaignClaimer,
  createCampaignScheduler,
  SCHEDULER_DEFAULTS,
} from './campaigns/campaigns.scheduler.ts'
import { createCampaignsStore } from './campaigns/campaigns.store.ts'
import { createMetrics } from './metrics/metrics.registry.ts'
import { createOutbox } from './messages/messages.outbox.ts'
import { createBatchSender } from './messages/messages.batch.ts'
import { createNotifier } from './messages/messages.notify.ts'
import { createRateLimiter } from './ratelimits/ratelimits.limiter.ts'
import { createRateLimitsStore } from './ratelimits/ratelimits.store.ts'
import { createWebhooks, webhookAllowPrivate } from './webhooks/webhooks.sender.ts'
import { createWebhooksStore } from './webhooks/webhooks.store.ts'
import { createMessagesStore } from './messages/messages.store.ts'
import type { SecretBox } from './secrets/secrets.box.ts'
import { hashSecret } from './secrets/secrets.box.ts'
import { createTemplateRegistry } from './templates/templates.registry.ts'
import { createTemplatesStore } from './templates/templates.store.ts'
import { createTokenProvider } from './tokens/tokens.provider.ts'
import { createTokensStore } from './tokens/tokens.store.ts'
import { createLogin } from './users/users.login.ts'
import { createUsersStore } from './users/users.store.ts'
import { createTagsStore } from './users/users.tags.store.ts'

export function createServices(p: {
  config: Config
  dbHandle: DbHandle
  secrets: SecretBox
  logger: Logger
  wechat?: WechatClient
  /** The service-wide admin key; only its hash is kept. Unset: the admin API answers admin.disabled. */
  adminKey?: string
}) {
  const { config, secrets, logger } = p
  const db = p.dbHandle.db
  const wechat =
    p.wechat ??
    createWechatClient({ baseUrl: config.WXPUSH_WECHAT_BASE_URL, timeoutMs: config.WXPUSH_WECHAT_TIMEOUT_MS })

  const apps = createAppsRegistry({ db, store: createAppsStore(), secrets })
  const messagesStore = createMessagesStore()
  const metrics = createMetrics({
    db,
    messagesStore,
    refusedCredentials: () => tokens.refusedCredentials(),
  })
  const tokens = createTokenProvider({
    db,
    store: createTokensStore(),
    apps,
    wechat,
    secrets,
    onRefresh: (appId) => {
      metrics.tokenRefreshed(appId)
      logger.info({ appId }, 'access_token refreshed / 已刷新 access_token')
    },
    onCredentialsRefused: (appId, errcode) => {
      logger.error(
        { appId, errcode },
        'WeChat refused the AppSecret: no token until it is rotated / 微信拒绝了 AppSecret，更换密钥前不再获取 access_token',
      )
    },
  })
  const usersStore = createUsersStore()
  const tagsStore = createTagsStore()
  const login = createLogin({
    db,
    store: usersStore,
    apps,
    wechat,
    secrets,
    sessionTtlS: config.WXPUSH_SESSION_TTL_S,
  })
  const ledger = createLedger({ store: createConsentsStore() })
  const templates = createTemplateRegistry({ db, store: createTemplatesStore(), wechat, tokens })
  const rateLimitsStore = createRateLimitsStore()
  const rateLimiter = createRateLimiter({
    db,
    store: rateLimitsStore,
    defaultPerS: config.WXPUSH_RATE_LIMIT_PER_S,
  })
  const webhooksStore = createWebhooksStore()
  const webhooks = createWebhooks({
    db,
    store: webhooksStore,
    secrets,
    timeoutMs: config.WXPUSH_WEBHOOK_TIMEOUT_MS,
    maxAttempts: config.WXPUSH_WEBHOOK_MAX_ATTEMPTS,
    allowPrivate: webhookAllowPrivate(config),
    onError: (err) => logger.error({ err }, 'webhook error / webhook 出错'),
  })

  const campaignsStore = createCampaignsStore()
  const dispatcher = createDispatcher({
    db,
    store: messagesStore,
    ledger,
    tokens,
    wechat,
    rateLimiter,
    webhooks,
    options: {
      batch: config.WXPUSH_DISPATCH_BATCH,
      concurrency: config.WXPUSH_DISPATCH_CONCURRENCY,
      pollMs: config.WXPUSH_DISPATCH_POLL_MS,
      leaseMs: config.WXPUSH_LEASE_MS,
      maxAttempts: config.WXPUSH_MAX_ATTEMPTS,
      retryUncertain: config.WXPUSH_RETRY_UNCERTAIN,
      retryBaseMs: config.WXPUSH_RETRY_BASE_MS,
      credentialsRecheckMs: config.WXPUSH_CREDENTIALS_RECHECK_MS,
      evidenceWaitMs: config.WXPUSH_DELIVERY_EVIDENCE_WAIT_MS,
    },
    observer: { ...metrics.observer, onError: (err) => logger.error({ err }, 'dispatch error / 发送出错') },
    claimMore: createCampaignClaimer({ db, store: campaignsStore }),
  })
  const outbox = createOutbox({
    db,
    store: messagesStore,
    templates,
    ledger,
    webhooks,
    onAccepted: (seconds) => metrics.accepted('single', seconds),
    onEnqueued:
      p.dbHandle.kind === 'postgres' ? wakeEveryone(dispatcher.wake, createNotifier(db)) : dispatcher.wake,
  })

  const batch = createBatchSender({
    db,
    store: messagesStore,
    outbox,
    onAccepted: (seconds) => metrics.accepted('batch', seconds),
    onEnqueued:
      p.dbHandle.kind === 'postgres' ? wakeEveryone(dispatcher.wake, createNotifier(db)) : dispatcher.wake,
  })

  const campaignScheduler = createCampaignScheduler({
    db,
    store: campaignsStore,
    ledger,
    webhooks,
    options: {
      ...SCHEDULER_DEFAULTS,
      chunk: config.WXPUSH_CAMPAIGN_CHUNK,
      leaseMs: config.WXPUSH_LEASE_MS,
      pollMs: Math.max(config.WXPUSH_DISPATCH_POLL_MS, 100),
    },
    onQueued:
      p.dbHandle.kind === 'postgres' ? wakeEveryone(dispatcher.wake, createNotifier(db)) : dispatcher.wake,
    onError: (err) => logger.error({ err }, 'campaign error / 群发出错'),
  })
  const campaignAudience = createAudience({
    db,
    store: campaignsStore,
    templates,
    onCreated: campaignScheduler.wake,
  })
  const campaignLifecycle = createCampaignLifecycle({
    db,
    store: campaignsStore,
    scheduler: campaignScheduler,
  })

  // Message push: the receiver stores verified pushes, the worker acts on them.
  const callbacksStore = createCallbacksStore()
  const callbackConfigs = createCallbackConfigs({ db, store: callbacksStore, secrets, apps })
  const callbackWorker = createCallbackWorker({
    db,
    store: callbacksStore,
    handlers: createCallbackHandlers({
      db,
      store: callbacksStore,
      ledger,
      usersStore,
      messagesStore,
      onDeliveryChange: (trx, c) => webhooks.statusChanged(trx, c),
    }),
    options: { ...CALLBACK_WORKER_DEFAULTS, pollMs: config.WXPUSH_DISPATCH_POLL_MS },
    onError: (err, e) => logger.error({ err, event: e }, 'callback event error / 处理消息推送出错'),
  })
  const callbackReceiver = createCallbackReceiver({
    db,
    store: callbacksStore,
    configs: callbackConfigs,
    maxSkewS: config.WXPUSH_CALLBACK_MAX_SKEW_S,
    onStored: () => callbackWorker.wake(),
  })

  // A report waits for WeChat's popup event when the app receives events (its message push is
  // configured here); 0 in the setting trusts reports (see migrations/0010).
  const consentConfirmWindowS = async (appId: string): Promise<number | null> => {
    const windowS = config.WXPUSH_CONSENT_CONFIRM_WINDOW_S
    if (windowS === 0) return null
    return (await callbacksStore.findConfig(db, appId)) ? windowS : null
  }

  return {
    config,
    secrets,
    db,
    dbKind: p.dbHandle.kind,
    wechat,
    apps,
    tokens,
    usersStore,
    tagsStore,
    login,
    ledger,
    templates,
    messagesStore,
    outbox,
    batch,
    dispatcher,
    campaignsStore,
    campaignScheduler,
    campaignAudience,
    campaignLifecycle,
    callbacksStore,
    callbackConfigs,
    callbackReceiver,
    callbackWorker,
    consentConfirmWindowS,
    metrics,
    rateLimitsStore,
    rateLimiter,
    webhooksStore,
    webhooks,
    adminKeyHash: p.adminKey ? hashSecret(p.adminKey) : null,
  }
}

export type Services = ReturnType<typeof createServices>

/** This process's dispatcher at once, the others through NOTIFY. */
function wakeEveryone(wakeHere: () => void, notify: () => void) {
  return () => {
    wakeHere()
    notify()
  }
}
