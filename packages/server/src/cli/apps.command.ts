// `wxpush apps add|list|rotate-secret|key|keys|revoke`: manage apps against the configured database.
// A revocation holds at once in new processes; running servers trust a cached key for ≤ 10 s.
import { createAppsRegistry } from '../apps/apps.registry.ts'
import { createAppsStore } from '../apps/apps.store.ts'
import { loadConfig } from '../config.ts'
import { openDb } from '../db/db.ts'
import { migrate } from '../db/migrate.ts'
import { AppError } from '../errors.ts'
import { createSecretBox, devMasterKey } from '../secrets/secrets.box.ts'
import { flag } from './wxpush.ts'

export async function appsCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  const loaded = loadConfig(env)
  if (!loaded.ok) {
    console.error(loaded.errors.join('\n'))
    process.exit(1)
  }
  const c = loaded.config
  const masterKey =
    c.WXPUSH_MASTER_KEY ?? (c.WXPUSH_MODE === 'dev' ? devMasterKey(c.WXPUSH_DATA_DIR) : undefined)
  if (!masterKey) {
    console.error('WXPUSH_MASTER_KEY: 生产模式必须设置 / required in production mode')
    process.exit(1)
  }
  const h = await openDb({ databaseUrl: c.DATABASE_URL, dataDir: `${c.WXPUSH_DATA_DIR}/pglite` })
  await migrate(h.db)
  const apps = createAppsRegistry({
    db: h.db,
    store: createAppsStore(),
    secrets: createSecretBox(masterKey),
  })
  const [sub, appId] = args
  try {
    switch (sub) {
      case 'add': {
        const secret = flag(args, '--secret')
        if (!appId || !secret) throw new Error('用法 / usage: wxpush apps add <appId> --secret <secret>')
        const mode = flag(args, '--token-mode') === 'classic' ? 'classic' : c.WXPUSH_TOKEN_MODE
        await apps.createApp({ appId, secret, name: flag(args, '--name') ?? appId, tokenMode: mode })
        const key = await apps.issueApiKey(appId)
        console.log(
          `已添加 / added ${appId}\nAPI 密钥（只显示这一次）/ API key (shown once): ${key.apiKey}\nkeyId: ${key.id}`,
        )
        break
      }
      case 'list':
        for (const a of await apps.listApps())
          console.log(`${a.id}\t${a.name}\t${a.token_mode}\t${a.created_at.toISOString()}`)
        break
      case 'rotate-secret': {
        const secret = flag(args, '--secret')
        if (!appId || !secret)
          throw new Error('用法 / usage: wxpush apps rotate-secret <appId> --secret <secret>')
        await apps.rotateSecret(appId, secret)
        console.log(`已更新密钥 / secret rotated: ${appId}`)
        break
      }
      case 'key': {
        if (!appId) throw new Error('用法 / usage: wxpush apps key <appId> [--admin]')
        const key = await apps.issueApiKey(appId, args.includes('--admin') ? 'admin' : 'app')
        console.log(`API 密钥（只显示这一次）/ API key (shown once): ${key.apiKey}\nkeyId: ${key.id}`)
        break
      }
      case 'keys': {
        if (!appId) throw new Error('用法 / usage: wxpush apps keys <appId>')
        await apps.getApp(appId)
        for (const k of await apps.listApiKeys(appId))
          console.log(
            `${k.id}\t${k.prefix}…\t${k.scope}\t${k.created_at.toISOString()}\t${
              k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'live'
            }`,
          )
        break
      }
      case 'revoke': {
        const keyId = args[2]
        if (!appId || !keyId) throw new Error('用法 / usage: wxpush apps revoke <appId> <keyId>')
        await apps.getApp(appId)
        if (!(await apps.revokeApiKey(appId, keyId)))
          throw new Error(`没有这个未吊销的密钥 / no live key ${keyId} in ${appId}`)
        console.log(
          `已吊销 / revoked ${keyId}（运行中的服务最多 10 秒后生效 / running servers: within 10 s）`,
        )
        break
      }
      default:
        throw new Error('用法 / usage: wxpush apps add|list|rotate-secret|key|keys|revoke')
    }
  } catch (err) {
    console.error(err instanceof AppError ? `${err.code}: ${err.zh} / ${err.en}` : (err as Error).message)
    process.exitCode = 1
  } finally {
    await h.close()
  }
}
