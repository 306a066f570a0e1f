// The composition root: loadConfig → master key → openDb → migrate → services → buildApp → roles.
// Returns a handle with the URLs and a stop() that drains: no new requests, in-flight sends finish.
import type { WechatClient } from '@wxpush/wechat'
import type { FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import { buildApp } from './app.ts'
import type { Config } from './config.ts'
import { loadConfig } from './config.ts'
import { openDb } from './db/db.ts'
import { migrate } from './db/migrate.ts'
import { listenForMessages } from './messages/messages.notify.ts'
import { devAdminKey } from './admin/admin.auth.ts'
import { createLogger } from './logger.ts'
import { createSecretBox, devMasterKey } from './secrets/secrets.box.ts'
import { createServices, type Services } from './services.ts'

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`配置有误 / invalid configuration:\n${lines.map((l) => `  - ${l}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export interface Running {
  config: Config
  services: Services
  app: FastifyInstance
  apiUrl: string
  stop(): Promise<void>
}

export async function startWxpush(p: {
  env: Record<string, string | undefined>
  wechat?: WechatClient
  listen?: boolean
  /** Where log lines go (default stdout). */
  logStream?: DestinationStream
}): Promise<Running> {
  const loaded = loadConfig(p.env)
  if (!loaded.ok) throw new ConfigError(loaded.errors)
  const config = loaded.config

  let masterKey = config.WXPUSH_MASTER_KEY
  if (!masterKey) {
    if (config.WXPUSH_MODE !== 'dev') {
      throw new ConfigError([
        'WXPUSH_MASTER_KEY: 生产模式必须设置主密钥（openssl rand -base64 32）/ required in production mode (openssl rand -base64 32); WXPUSH_MODE=dev generates one',
      ])
    }
    masterKey = devMasterKey(config.WXPUSH_DATA_DIR)
  }

  // The admin API is off in production until WXPUSH_ADMIN_KEY is set; dev mode generates one.
  const adminKey =
    config.WXPUSH_ADMIN_KEY ??
    (config.WXPUSH_MODE === 'dev' ? devAdminKey(config.WXPUSH_DATA_DIR) : undefined)

  const logger = createLogger(config.WXPUSH_LOG_LEVEL, p.logStream)
  const dbHandle = await openDb({
    databaseUrl: config.DATABASE_URL,
    dataDir: `${config.WXPUSH_DATA_DIR}/pglite`,
    poolSize: config.WXPUSH_DB_POOL_SIZE,
  })
  await migrate(dbHandle.db)
  const services = createServices({
    config,
    dbHandle,
    secrets: createSecretBox(masterKey),
    logger,
    ...(p.wechat ? { wechat: p.wechat } : {}),
    ...(adminKey ? { adminKey } : {}),
  })
  const app = await buildApp({ services, logger })

  let apiUrl = ''
  if (config.WXPUSH_ROLE !== 'worker' && p.listen !== false) {
    apiUrl = await app.listen({ port: config.WXPUSH_PORT, host: config.WXPUSH_HOST })
  }
  let unlisten: (() => Promise<void>) | undefined
  if (config.WXPUSH_ROLE !== 'api') {
    services.dispatcher.start()
    services.callbackWorker.start()
    services.webhooks.start()
    services.campaignScheduler.start()
    if (config.DATABASE_URL) {
      unlisten = listenForMessages({
        databaseUrl: config.DATABASE_URL,
        onNotify: services.dispatcher.wake,
        onError: (err) =>
          logger.warn({ err }, 'LISTEN connection lost; polling meanwhile / 监听连接断开，暂以轮询代替'),
      })
    }
  }

  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= (async () => {
      await app.close()
      await unlisten?.()
      await services.campaignScheduler.stop()
      await services.dispatcher.stop()
      await services.callbackWorker.stop()
      await services.webhooks.stop()
      if (!p.wechat) await services.wechat.close()
      await dbHandle.close()
    })())

  return { config, services, app, apiUrl, stop }
}
