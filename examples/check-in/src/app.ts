// The check-in backend of seed 004 (an Egg.js/Koa mini program backend), rewritten on wxpush:
// it never calls WeChat itself. A check-in tags the user `meeting-<id>` in wxpush; the end of the
// meeting starts one campaign to that tag: "签到成功，散会后即可离开". wxpush sends it to everyone
// who agreed to the template and counts the others as skipped: no_credit.
import Koa from 'koa'

export interface CheckinOptions {
  /** wxpush's API, e.g. http://127.0.0.1:3000 */
  wxpushUrl: string
  /** An API key of the mini program's app in wxpush. */
  apiKey: string
  /** The template's alias (or WeChat id): time24 time27 thing21 thing23, as in the seed. */
  template: string
}

export const LEAVE_NOTICE = '签到成功，散会后即可离开'

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`)
  }
}

export function createCheckinApp(o: CheckinOptions) {
  const started = new Map<string, string>() // meeting id → campaign id

  async function wxpush<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(o.wxpushUrl.replace(/\/$/, '') + path, {
      method,
      headers: {
        authorization: `Bearer ${o.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const answer = (await res.json()) as T
    if (!res.ok) throw new HttpError(res.status, answer)
    return answer
  }

  async function readJson(ctx: Koa.Context): Promise<Record<string, unknown>> {
    let text = ''
    for await (const chunk of ctx.req) text += String(chunk)
    try {
      const v = JSON.parse(text || '{}') as unknown
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>
    } catch {
      // answered below
    }
    throw new HttpError(400, { error: 'body must be a JSON object / 请求体须为 JSON 对象' })
  }

  const app = new Koa()
  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      ctx.status = err.status
      ctx.body = err.body
    }
  })

  app.use(async (ctx) => {
    const end = /^\/meetings\/([\w-]{1,40})\/end$/.exec(ctx.path)
    const notice = /^\/meetings\/([\w-]{1,40})\/notice$/.exec(ctx.path)

    if (ctx.method === 'POST' && ctx.path === '/checkin') {
      // The mini program logged in through wxpush (POST /v1/auth/login) and sends its userId.
      const b = await readJson(ctx)
      const meeting = typeof b.meetingId === 'string' ? b.meetingId : ''
      if (!/^[\w-]{1,40}$/.test(meeting) || typeof b.userId !== 'string')
        throw new HttpError(400, { error: 'need {userId, meetingId} / 需要 userId 与 meetingId' })
      const tagged = await wxpush<{ id: string; tags: string[] }>('PUT', `/v1/users/${b.userId}/tags`, {
        add: [`meeting-${meeting}`],
      })
      ctx.body = { checkedIn: true, meetingId: meeting, tags: tagged.tags }
      return
    }

    if (ctx.method === 'POST' && end) {
      const meeting = end[1]!
      const now = new Date().toISOString()
      const campaign = await wxpush<{ id: string; status: string }>('POST', '/v1/campaigns', {
        name: `会议 ${meeting} 散会通知`,
        template: o.template,
        data: { time24: now, time27: now, thing21: `会议 ${meeting}`, thing23: LEAVE_NOTICE },
        fit: true, // ISO times become 2019年11月11日 20:20, as WeChat's time keyword wants
        audience: { tag: `meeting-${meeting}` },
        idempotencyKey: `meeting-${meeting}-end`, // ending twice sends once
      })
      started.set(meeting, campaign.id)
      ctx.status = 201
      ctx.body = { meetingId: meeting, campaignId: campaign.id, status: campaign.status }
      return
    }

    if (ctx.method === 'GET' && notice) {
      const id = started.get(notice[1]!)
      if (!id) throw new HttpError(404, { error: 'meeting not ended yet / 会议尚未结束' })
      ctx.body = await wxpush('GET', `/v1/campaigns/${id}`)
      return
    }

    throw new HttpError(404, { error: 'not found' })
  })
  return app
}
