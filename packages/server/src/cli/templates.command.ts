// `wxpush templates sync [--app <appId>]`: pull the private templates of one app (or of every app)
// from WeChat into the registry, as POST /v1/templates/sync does.
// Built on createServices, not startWxpush: a one-shot command must neither listen nor start the
// dispatcher (which would begin sending queued messages from a maintenance shell).
import { loadConfig } from '../config.ts'
import { openDb } from '../db/db.ts'
import { migrate } from '../db/migrate.ts'
import { AppError } from '../errors.ts'
import { createLogger } from '../logger.ts'
import { createSecretBox, devMasterKey } from '../secrets/secrets.box.ts'
import { createServices } from '../services.ts'
import { flag } from './wxpush.ts'

const USAGE = '用法 / usage: wxpush templates sync [--app <appId>]'

export async function templatesCommand(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const [sub] = args
  if (sub !== 'sync') {
    console.error(USAGE)
    process.exitCode = 2
    return
  }
  const loaded = loadConfig(env)
  if (!loaded.ok) {
    console.error(loaded.errors.join('\n'))
    process.exitCode = 1
    return
  }
  const c = loaded.config
  const masterKey =
    c.WXPUSH_MASTER_KEY ?? (c.WXPUSH_MODE === 'dev' ? devMasterKey(c.WXPUSH_DATA_DIR) : undefined)
  if (!masterKey) {
    console.error('WXPUSH_MASTER_KEY: 生产模式必须设置 / required in production mode')
    process.exitCode = 1
    return
  }
  const dbHandle = await openDb({ databaseUrl: c.DATABASE_URL, dataDir: `${c.WXPUSH_DATA_DIR}/pglite` })
  await migrate(dbHandle.db)
  // info-level lines (token refreshed…) would interleave with the command's own output.
  const logger = createLogger(c.WXPUSH_LOG_LEVEL === 'info' ? 'warn' : c.WXPUSH_LOG_LEVEL)
  const services = createServices({ config: c, dbHandle, secrets: createSecretBox(masterKey), logger })
  try {
    const only = flag(args, '--app')
    const appIds = only ? [only] : (await services.apps.listApps()).map((a) => a.id)
    if (appIds.length === 0) console.log('没有应用 / no apps: wxpush apps add <appId> --secret <secret>')
    for (const appId of appIds) {
      try {
        await services.apps.getApp(appId) // apps.not_found before any token is asked for
        const r = await services.templates.sync(appId)
        console.log(`${appId}\t已同步 / synced ${r.synced}\t已删除 / removed ${r.removed}`)
      } catch (err) {
        // One app's failure (a wrong secret, say) does not stop the others.
        console.error(`${appId}\t${describe(err)}`)
        process.exitCode = 1
      }
    }
  } finally {
    await services.wechat.close()
    await dbHandle.close()
  }
}

function describe(err: unknown): string {
  if (!(err instanceof AppError)) return (err as Error).message
  const d = err.details ?? {}
  const errcode = typeof d['errcode'] === 'number' ? ` (errcode ${d['errcode']})` : ''
  return `${err.code}${errcode}: ${err.zh} / ${err.en}`
}
