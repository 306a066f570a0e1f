// The wxpush command line: one entry, one sub-command each.
import { appsCommand } from './apps.command.ts'
import { campaignsCommand } from './campaigns.command.ts'
import { devCommand } from './dev.command.ts'
import { docsCommand } from './docs.command.ts'
import { DAILY_USAGE, runDaily } from './messages.command.ts'
import { migrateCommand } from './migrate.command.ts'
import { serveCommand } from './serve.command.ts'
import { templatesCommand } from './templates.command.ts'

const USAGE = `用法 / usage: wxpush <command>

  dev                     内嵌模式：PGlite + 模拟器 + 演示应用 / embedded default: PGlite, simulator, demo app
  serve [--role api|worker|all]  生产模式 / production (DATABASE_URL, WXPUSH_MASTER_KEY)
  simulator [--port N]    单独运行微信模拟器 / run the WeChat simulator alone
  migrate                 执行数据库迁移 / apply database migrations
  apps add <appId> --secret <secret> [--name N] [--token-mode stable|classic]
  apps list
  apps rotate-secret <appId> --secret <secret>
  apps key <appId> [--admin]      签发 API 密钥（只显示一次）/ issue an API key (shown once)
  apps keys <appId>               列出密钥（不含密钥本身）/ list keys (never the key itself)
  apps revoke <appId> <keyId>     吊销密钥 / revoke a key
  templates sync [--app <appId>]  从微信同步模板 / pull private templates from WeChat
  send | messages show|tail | users show | templates list   日常操作（HTTP API 客户端）/ daily work (a client of the HTTP API)
  campaigns create|list|show|pause|resume|cancel   群发（HTTP API 客户端）/ campaigns (a client of the HTTP API)
  docs                    生成 docs/errors.md、config.md、openapi.json / regenerate the reference docs

设置见 docs/config.md / settings: docs/config.md`

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<void> {
  const [command, ...rest] = argv
  const role = flag(rest, '--role')
  switch (command) {
    case 'dev':
      return devCommand(env)
    case 'serve':
      return serveCommand(role ? { ...env, WXPUSH_ROLE: role } : env)
    case 'simulator': {
      const { runSimulatorCli } = await import('@wxpush/simulator')
      return runSimulatorCli(rest)
    }
    case 'migrate':
      return migrateCommand(env)
    case 'apps':
      return appsCommand(rest, env)
    case 'templates':
      return rest[0] === 'list' ? runDaily(command, rest, env) : templatesCommand(rest, env)
    case 'send':
    case 'messages':
    case 'users':
      return runDaily(command, rest, env)
    case 'campaigns':
      return campaignsCommand(rest, env)
    case 'docs':
      return docsCommand()
    default:
      console.log(`${USAGE}\n\n${DAILY_USAGE}`)
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2
  }
}

export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
