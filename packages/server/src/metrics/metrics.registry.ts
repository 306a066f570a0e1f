// Prometheus metrics, one registry per wxpush instance (no prom-client globals: tests run several).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Db } from '../db/db.ts'
import type { MessagesStore } from '../messages/messages.store.ts'

// A scrape must not cost a walk over the whole backlog (a million campaign messages): the depth is
// counted up to this many rows.
const QUEUE_DEPTH_CAP = 10_000

export function createMetrics(deps: {
  db: Db
  messagesStore: MessagesStore
  /** The apps whose AppSecret WeChat refused (read at scrape time). */
  refusedCredentials: () => Promise<{ appId: string }[]>
}) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'wxpush_process_' })

  const messages = new Counter({
    name: 'wxpush_messages_total',
    help: 'Messages that reached a status, by status and reason / 各状态的消息数',
    labelNames: ['status', 'reason'],
    registers: [registry],
  })
  const sendSeconds = new Histogram({
    name: 'wxpush_send_duration_seconds',
    help: 'Time of one subscribe/send call to WeChat, token included / 调用微信发送接口的耗时',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const errcodes = new Counter({
    name: 'wxpush_wechat_errcodes_total',
    help: 'WeChat answers to subscribe/send by errcode ("transport" = no answer) / 微信返回码统计',
    labelNames: ['errcode'],
    registers: [registry],
  })
  const tokenRefreshes = new Counter({
    name: 'wxpush_token_refreshes_total',
    help: 'access_token fetches done by this process / 本进程获取 access_token 的次数',
    labelNames: ['app_id'],
    registers: [registry],
  })
  const acceptSeconds = new Histogram({
    name: 'wxpush_accept_duration_seconds',
    help: 'Time to accept a send request, durable write included (path: single or batch) / 受理发送请求的耗时（含持久化写入）',
    labelNames: ['path'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const acceptToSentSeconds = new Histogram({
    name: 'wxpush_accept_to_sent_seconds',
    help: 'Time from a message accepted to WeChat accepting its send / 消息从受理到微信接受发送的耗时',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  })
  new Gauge({
    name: 'wxpush_queue_depth',
    help: `Messages due and not yet claimed (all processes), counted up to ${QUEUE_DEPTH_CAP}: that value means at least as many / 待发送消息数（最多数到 ${QUEUE_DEPTH_CAP}）`,
    registers: [registry],
    async collect() {
      const q = await deps.messagesStore.queueDepth(deps.db, QUEUE_DEPTH_CAP)
      this.set(q.depth)
      oldest.set(q.oldest ? Math.max(0, (Date.now() - q.oldest.getTime()) / 1000) : 0)
    },
  })
  const oldest = new Gauge({
    name: 'wxpush_queue_oldest_age_seconds',
    help: 'Age of the oldest due message / 最早待发送消息的等待时间（秒）',
    registers: [registry],
  })

  new Gauge({
    name: 'wxpush_app_credentials_invalid',
    help: 'Apps whose AppSecret WeChat refused: 1 until the secret is rotated / AppSecret 被微信拒绝的应用（更换密钥前为 1）',
    labelNames: ['app_id'],
    registers: [registry],
    async collect() {
      this.reset()
      for (const r of await deps.refusedCredentials()) this.set({ app_id: r.appId }, 1)
    },
  })

  return {
    registry,
    observer: {
      onSendResult(p: { errcode: number | 'transport'; seconds: number }) {
        errcodes.inc({ errcode: String(p.errcode) })
        if (p.errcode !== 'transport') sendSeconds.observe(p.seconds)
      },
      onOutcome(p: { status: string; reason: string | null }) {
        messages.inc({ status: p.status, reason: p.reason ?? '' })
      },
      onSent(p: { acceptedSecondsAgo: number }) {
        acceptToSentSeconds.observe(p.acceptedSecondsAgo)
      },
    },
    accepted(path: 'single' | 'batch', seconds: number) {
      acceptSeconds.observe({ path }, seconds)
    },
    tokenRefreshed(appId: string) {
      tokenRefreshes.inc({ app_id: appId })
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
