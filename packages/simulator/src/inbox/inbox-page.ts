// GET /inbox/:appid/:openid — the phone's 服务通知 (service notifications) page for one user, newest
// first: the mini program's name, the template title, each keyword's name and value, the time and
// the "进入小程序查看" button in the message's lang; beside them the template messages of official
// accounts the user follows (same unionid); below, the customer-service chat both ways. Every
// value is HTML-escaped.
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import { officialAccountInbox } from '../wechat-api/official-account.ts'
import type { App, CustomerServiceMessage, InboxItem } from '../world.ts'

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)
}

const BUTTON: Record<string, string> = {
  zh_CN: '进入小程序查看',
  en_US: 'Go to Mini Program',
  zh_HK: '進入小程序查看',
  zh_TW: '進入小程序查看',
}

/** `2019年10月1日 15:01`, Beijing time. */
function beijingTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

function card(app: App, item: InboxItem): string {
  const template = app.templates.get(item.templateId)
  const rows = Object.entries(item.data)
    .map(([key, v]) => {
      const name = template?.keywords.find((k) => k.key === key)?.name ?? key
      return `<div class="row"><span class="k">${escapeHtml(name)}</span><span class="v">${escapeHtml(v.value)}</span></div>`
    })
    .join('')
  const button = BUTTON[item.lang] ?? BUTTON.zh_CN ?? ''
  const jump = item.page
    ? `<div class="go">${escapeHtml(button)}<span class="en"> / Open the Mini Program</span><span class="page">${escapeHtml(item.page)}</span></div>`
    : ''
  return `<article class="card" data-msgid="${escapeHtml(item.msgid)}">
<div class="app">${escapeHtml(app.name)}</div>
<div class="time">${escapeHtml(beijingTime(item.receivedAt))}</div>
<h2>${escapeHtml(item.title)}</h2>${rows}${jump}</article>`
}

const STYLE = `body{margin:0;background:#ededed;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#111}
header{background:#f7f7f7;padding:14px;text-align:center;font-weight:600;border-bottom:1px solid #ddd}
main{max-width:420px;margin:0 auto;padding:12px}.card{background:#fff;border-radius:8px;padding:14px 16px;margin:12px 0}
.app{font-size:13px;color:#576b95}.time{float:right;margin-top:-17px;font-size:12px;color:#999}
h2{font-size:17px;margin:10px 0}.row{display:flex;font-size:14px;line-height:1.9}.k{color:#888;width:6.5em;flex:none}
.v{word-break:break-all}.go{border-top:1px solid #eee;margin-top:10px;padding-top:10px;font-size:14px}
.en,.page{color:#999;font-size:12px}.page{float:right}.empty{text-align:center;color:#999;padding:40px}
.oa h3,.chat h3{font-size:15px;text-align:center;color:#555}.msg{display:flex;flex-direction:column;margin:8px 0}
.msg.user{align-items:flex-end}.msg.service{align-items:flex-start}.msg .time{font-size:11px;color:#999}
.bubble{max-width:75%;padding:8px 12px;border-radius:6px;background:#fff;word-break:break-all;font-size:14px}
.msg.user .bubble{background:#95ec69}`

/** One bubble of the customer-service chat: the user's on the right, customer service's on the left. */
function bubble(m: CustomerServiceMessage): string {
  const b = (m.body ?? {}) as Record<string, unknown>
  const text = (k: string) => (typeof b[k] === 'string' ? b[k] : '')
  let inner: string
  if (m.msgtype === 'text') inner = escapeHtml(text('content'))
  else if (m.msgtype === 'image')
    inner = `[图片 / image] <small>${escapeHtml(text('media_id').slice(0, 12))}…</small>`
  else if (m.msgtype === 'link')
    inner = `<b>${escapeHtml(text('title'))}</b><br>${escapeHtml(text('description'))}<br><small>${escapeHtml(text('url'))}</small>`
  else if (m.msgtype === 'miniprogrampage')
    inner = `[小程序 / Mini Program] <b>${escapeHtml(text('title'))}</b><br><small>${escapeHtml(text('pagepath'))}</small>`
  else inner = escapeHtml(m.msgtype)
  return `<div class="msg ${m.from}" data-msgtype="${escapeHtml(m.msgtype)}"><span class="time">${escapeHtml(beijingTime(m.receivedAt))}</span><div class="bubble">${inner}</div></div>`
}

/** An official account's template messages: the account's name, the title, each value, the link. */
function accountSection(messages: readonly { account: App; item: InboxItem }[]): string {
  if (messages.length === 0) return ''
  const cards = [...messages].reverse().map(({ account, item }) => {
    const link = item.miniprogram
      ? `<div class="go">进入小程序 / Open the Mini Program<span class="page">${escapeHtml(item.miniprogram.pagepath ?? '')}</span></div>`
      : item.url
        ? `<div class="go">详情 / Details<span class="page">${escapeHtml(item.url)}</span></div>`
        : ''
    return card(account, { ...item, page: undefined }).replace('</article>', `${link}</article>`)
  })
  return `<section class="oa"><h3>公众号消息 <small>Official account</small></h3>${cards.join('\n')}</section>`
}

function chatSection(chat: readonly CustomerServiceMessage[]): string {
  if (chat.length === 0) return ''
  return `<section class="chat"><h3>客服消息 <small>Customer service</small></h3>${chat.map(bubble).join('\n')}</section>`
}

export function renderInbox(
  app: App,
  openid: string,
  items: readonly InboxItem[],
  chat: readonly CustomerServiceMessage[] = [],
  accountMessages: readonly { account: App; item: InboxItem }[] = [],
): string {
  const cards = items.length
    ? [...items]
        .reverse()
        .map((i) => card(app, i))
        .join('\n')
    : '<p class="empty">暂无服务通知 / No service notifications yet</p>'
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>服务通知 / Service notifications</title>
<style>${STYLE}</style></head><body><header>服务通知 <small>Service notifications</small></header>
<main data-openid="${escapeHtml(openid)}">${cards}${accountSection(accountMessages)}${chatSection(chat)}</main></body></html>`
}

export function registerInboxPage(ctx: SimContext, fastify: FastifyInstance): void {
  fastify.get('/inbox/:appid/:openid', async (req, reply) => {
    const { appid, openid } = req.params as { appid: string; openid: string }
    const app = ctx.world.apps.get(appid)
    const user = app?.users.get(openid)
    reply.header('content-type', 'text/html; charset=utf-8')
    if (!app || !user) {
      return reply
        .code(404)
        .send('<!doctype html><meta charset="utf-8"><p>找不到该用户 / No such user in this app</p>')
    }
    return reply.send(
      renderInbox(app, openid, user.inbox, user.customerService, officialAccountInbox(ctx, user.unionid)),
    )
  })
}
