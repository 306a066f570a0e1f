// `wxpush send` and `wxpush messages show|tail`, `wxpush users show`, `wxpush templates list`:
// clients of the HTTP API for daily work. Plain lines for people, `--json` for scripts (one JSON
// document, or one per line for tail). Exit codes in docs/cli.md.
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { apiClient, CliApiError, EXIT } from './api.client.ts'
import { flag } from './wxpush.ts'

export const DAILY_USAGE = `用法 / usage:
  wxpush send (--user ID | --openid O) --template T --data '{"thing1":"…"}' [--page P] [--watch [--timeout S]] [--json]
  wxpush send --file message.json [--watch] [--json]      请求体同 POST /v1/messages / the body of POST /v1/messages
  wxpush messages show <id> [--json]                     一条消息及其历史 / one message with its history
  wxpush messages tail [--status S] [--for SECONDS] [--json]   实时输出结果 / follow outcomes as they happen
  wxpush users show <userId> | --openid O [--json]
  wxpush templates list [--json]
API: WXPUSH_URL + WXPUSH_API_KEY, or dev.json in WXPUSH_DATA_DIR (npm run dev); WXPUSH_LANG=en for English errors
退出码 / exit codes: 0 成功 ok, 1 服务拒绝 refused (the error code is printed), 2 用法错误 usage, 3 连不上 unreachable`

interface Message {
  id: string
  status: string
  template: string
  to: { userId: string | null; openid: string }
  createdAt: string
  reason?: string
  errcode?: number
  history?: { status: string; at: string; reason?: string }[]
}

const TERMINAL = new Set(['delivered', 'failed', 'cancelled'])
const line = (m: Message) =>
  [m.createdAt, m.id, m.status.padEnd(9), m.template, m.to.openid, m.reason ?? '', m.errcode ?? '']
    .join('  ')
    .trimEnd()

function usage(): void {
  console.error(DAILY_USAGE)
  process.exitCode = EXIT.usage
}

/** Runs one client command; a refusal prints the catalogue's explanation and sets the exit code. */
export async function runDaily(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const json = args.includes('--json')
  const out = (value: unknown, text: string) => console.log(json ? JSON.stringify(value) : text)
  try {
    const call = apiClient(env)
    const [sub, id] = args
    if (command === 'send') return await send(call, args, out)
    if (command === 'messages' && sub === 'show' && id) {
      const m = await call<Message>('GET', `/v1/messages/${encodeURIComponent(id)}`)
      return out(
        m,
        [line(m), ...(m.history ?? []).map((h) => `  ${h.at}  ${h.status}  ${h.reason ?? ''}`)].join('\n'),
      )
    }
    if (command === 'messages' && sub === 'tail') return await tail(call, args, out)
    if (command === 'users' && sub === 'show') {
      const openid = flag(args, '--openid')
      const path = openid
        ? `/v1/users?openid=${encodeURIComponent(openid)}`
        : id
          ? `/v1/users/${encodeURIComponent(id)}`
          : undefined
      if (!path) return usage()
      const u = await call<{ id: string; openid: string; createdAt: string; lastLoginAt: string | null }>(
        'GET',
        path,
      )
      return out(u, `${u.id}  ${u.openid}  created ${u.createdAt}  last login ${u.lastLoginAt ?? '-'}`)
    }
    if (command === 'templates' && sub === 'list') {
      const t = await call<{ items: { id: string; alias: string | null; title: string; kind: string }[] }>(
        'GET',
        '/v1/templates',
      )
      return out(
        t,
        t.items.map((i) => `${i.id}  ${i.alias ?? '-'}  ${i.kind}  ${i.title}`).join('\n') ||
          '没有模板 / no templates',
      )
    }
    return usage()
  } catch (err) {
    if (!(err instanceof CliApiError)) throw err
    console.error(
      json
        ? JSON.stringify({ error: { code: err.code, status: err.status, details: err.details } })
        : err.explain(),
    )
    process.exitCode = err.code === 'cli.unreachable' ? EXIT.unreachable : EXIT.refused
  }
}

type Call = ReturnType<typeof apiClient>
type Out = (value: unknown, text: string) => void

async function send(call: Call, args: string[], out: Out) {
  const file = flag(args, '--file')
  const user = flag(args, '--user')
  const openid = flag(args, '--openid')
  const template = flag(args, '--template')
  const data = flag(args, '--data')
  const page = flag(args, '--page')
  let body: unknown
  if (file) body = JSON.parse(readFileSync(file, 'utf8')) as unknown
  else if ((user || openid) && template && data)
    body = {
      to: user ? { userId: user } : { openid },
      template,
      data: JSON.parse(data) as unknown,
      ...(page ? { page } : {}),
    }
  else return usage()
  const sent = await call<{ id: string; status: string; duplicate: boolean }>('POST', '/v1/messages', body)
  out(sent, `${sent.id}  ${sent.status}${sent.duplicate ? '  (duplicate / 重复)' : ''}`)
  if (!args.includes('--watch')) return
  // Each status as it changes, until the message ends or --timeout seconds pass (default 60): sent may
  // wait long for WeChat's delivery event.
  let last = sent.status
  const deadline = Date.now() + Number(flag(args, '--timeout') ?? 60) * 1000
  while (!TERMINAL.has(last) && Date.now() < deadline) {
    await sleep(500)
    const m = await call<Message>('GET', `/v1/messages/${sent.id}`)
    if (m.status !== last) {
      last = m.status
      out(
        { id: m.id, status: m.status, reason: m.reason },
        `${m.id}  ${m.status}  ${m.reason ?? ''}`.trimEnd(),
      )
    }
  }
  if (last === 'failed') process.exitCode = EXIT.refused
}

async function tail(call: Call, args: string[], out: Out) {
  const status = flag(args, '--status')
  const seconds = Number(flag(args, '--for') ?? Infinity)
  const until = Date.now() + seconds * 1000
  const seen = new Map<string, string>()
  let first = true
  while (Date.now() < until) {
    const page = await call<{ items: Message[] }>(
      'GET',
      `/v1/messages?limit=100${status ? `&status=${encodeURIComponent(status)}` : ''}`,
    )
    // Oldest first, each message again whenever its status changed; the first page is the backlog.
    for (const m of [...page.items].reverse()) {
      if (seen.get(m.id) === m.status) continue
      seen.set(m.id, m.status)
      if (!first || page.items.length <= 20) out(m, line(m))
    }
    first = false
    await sleep(1_000)
  }
}
