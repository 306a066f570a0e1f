// `wxpush console users add|passwd|remove|list`: console operators against the configured database.
// The password is read from stdin (one line), never from the command line, where `ps` would show it.
import { createInterface } from 'node:readline'
import { loadConfig } from '../config.ts'
import { CONSOLE_ROLES, createOperators } from '../console/console.operators.ts'
import type { ConsoleRole } from '../db/db.schema.ts'
import { openDb } from '../db/db.ts'
import { migrate } from '../db/migrate.ts'
import { AppError } from '../errors.ts'
import { flag } from './wxpush.ts'

const USAGE = `用法 / usage:
  wxpush console users add <username> --role admin|operator|viewer [--apps <appId,appId>]
  wxpush console users passwd <username>
  wxpush console users remove <username>
  wxpush console users list
密码从标准输入读取一行 / the password is read as one line from stdin`

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('密码 / password: ')
  const rl = createInterface({ input: process.stdin, terminal: false })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

export async function consoleCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  const [group, sub, username] = args
  const loaded = loadConfig(env)
  if (!loaded.ok) {
    console.error(loaded.errors.join('\n'))
    process.exit(1)
  }
  const c = loaded.config
  if (group !== 'users' || !sub) {
    console.error(USAGE)
    process.exitCode = 2
    return
  }
  const h = await openDb({ databaseUrl: c.DATABASE_URL, dataDir: `${c.WXPUSH_DATA_DIR}/pglite` })
  try {
    await migrate(h.db)
    const operators = createOperators({ db: h.db })
    switch (sub) {
      case 'add': {
        const role = flag(args, '--role') as ConsoleRole | undefined
        if (!username || !role || !CONSOLE_ROLES.includes(role)) throw new Error(USAGE)
        const appIds = (flag(args, '--apps') ?? '').split(',').filter(Boolean)
        await operators.add({ username, password: await readPassword(), role, appIds })
        console.log(`已添加 / added ${username} (${role}${appIds.length ? `: ${appIds.join(', ')}` : ''})`)
        break
      }
      case 'passwd':
        if (!username) throw new Error(USAGE)
        await operators.passwd(username, await readPassword())
        console.log(`已更新密码，旧会话已失效 / password changed, old sessions ended: ${username}`)
        break
      case 'remove':
        if (!username) throw new Error(USAGE)
        await operators.remove(username)
        console.log(`已删除 / removed ${username}`)
        break
      case 'list':
        for (const o of await operators.list())
          console.log(`${o.username}\t${o.role}\t${o.role === 'admin' ? '*' : o.app_ids.join(',')}`)
        break
      default:
        throw new Error(USAGE)
    }
  } catch (err) {
    console.error(err instanceof AppError ? `${err.code}: ${err.zh} / ${err.en}` : (err as Error).message)
    process.exitCode = 1
  } finally {
    await h.close()
  }
}
