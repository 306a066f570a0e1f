// @wxpush/miniprogram: the mini program half of wxpush. It logs in (wx.login → POST /v1/auth/login),
// asks for consent from a tap and reports every answer and failure (POST /v1/consents), reports the
// user's subscription settings (PUT /v1/me/settings), and reads credits (GET /v1/me/templates).
// ES2015, no runtime dependencies, the global `wx` only.
import { notInTap, unknownTemplate, WxpushError, wxCallFailed } from './errors'
import { isTapError, requestInTap, splitCalls, type CallOutcome, type SubscribeAnswer } from './subscribe'
import { wxGetSubscriptionsSetting, wxLogin, wxRequest } from './wx-calls'

export { WxpushError } from './errors'
export type { SubscribeAnswer } from './subscribe'

export interface WxpushOptions {
  /** Your wxpush, e.g. `https://push.example.com` (add it to the app's request domains). */
  baseUrl: string
  /** The mini program's AppID. */
  appId: string
  /** Template ids per wx.requestSubscribeMessage call: 3 works on every base library (5 since 3.12.1). */
  idsPerCall?: number
}

export interface TemplateInfo {
  alias: string | null
  id: string
  kind: 'one_time' | 'long_term'
  title: string
  /** One-time: sends left. Long-term: 1 while subscribed, else 0. */
  credits: number
  status: string
  always?: string
  mainSwitch?: boolean
}

export interface SubscribeResult {
  /** The name you passed (alias or id). */
  template: string
  id: string
  /** WeChat's answer, or `fail` when the call failed (then errCode says why: 20004, 10005, …). */
  result: SubscribeAnswer | 'fail'
  errCode?: number
  errMsg?: string
}

export interface Wxpush {
  login(): Promise<{ userId: string; expiresAt: string }>
  subscribe(
    templates: string | string[],
  ): Promise<{ results: SubscribeResult[]; credits: Record<string, number> }>
  syncSettings(): Promise<{ mainSwitch: boolean; itemSettings: Record<string, string> }>
  needsConsent(template: string): Promise<boolean>
  credits(): Promise<Record<string, number>>
  /** The app's templates as last loaded (login() and credits() load them). */
  templates(): TemplateInfo[]
}

interface Session {
  token: string
  userId: string
  expiresAt: string
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Record<string, unknown> }
}

export function createWxpush(options: WxpushOptions): Wxpush {
  const base = options.baseUrl.replace(/\/+$/, '')
  const perCall = options.idsPerCall ?? 3
  const sessionKey = `wxpush:session:${options.appId}`
  const templatesKey = `wxpush:templates:${options.appId}`
  let templates: TemplateInfo[] = readStorage<TemplateInfo[]>(templatesKey) ?? []

  function readStorage<T>(key: string): T | undefined {
    try {
      const v = wx.getStorageSync(key) as T | '' | undefined
      return v === '' || v === undefined || v === null ? undefined : v
    } catch (_e) {
      // ES2015 has no catch without a binding; storage that cannot be read holds nothing for us.
      return undefined
    }
  }

  function serverError(statusCode: number, data: unknown): WxpushError {
    const e = (data as ErrorBody | undefined)?.error
    const message = e?.message ?? `HTTP ${statusCode}`
    return new WxpushError({
      code: e?.code ?? 'miniprogram.http_error',
      zh: message,
      en: message,
      status: statusCode,
      ...(e?.details ? { details: e.details } : {}),
    })
  }

  async function login(): Promise<{ userId: string; expiresAt: string }> {
    await loginOnly(true)
    await loadTemplates()
    const s = readStorage<Session>(sessionKey)!
    return { userId: s.userId, expiresAt: s.expiresAt }
  }

  /** A call with the session; on 401 logs in again once, and a second 401 surfaces. */
  async function call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    data?: Record<string, unknown>,
  ): Promise<unknown> {
    let session = readStorage<Session>(sessionKey)
    for (let attempt = 0; ; attempt++) {
      if (!session) {
        await loginOnly()
        session = readStorage<Session>(sessionKey)
      }
      const r = await wxRequest({
        url: base + path,
        method,
        token: session?.token,
        ...(data ? { data } : {}),
      })
      if (r.statusCode === 401 && attempt === 0) {
        wx.removeStorageSync(sessionKey)
        session = undefined
        continue
      }
      if (r.statusCode < 200 || r.statusCode >= 300) throw serverError(r.statusCode, r.data)
      return r.data
    }
  }

  // wx.login → POST /v1/auth/login → the session in storage. Concurrent callers share one login;
  // `fresh` starts a new one even when a session is stored.
  let loggingIn: Promise<unknown> | undefined
  function loginOnly(fresh = false): Promise<unknown> {
    if (fresh || !loggingIn)
      loggingIn = (async () => {
        let code: string
        try {
          code = await wxLogin()
        } catch (e) {
          throw wxCallFailed('wx.login', (e as { errMsg?: string }).errMsg ?? String(e))
        }
        const r = await wxRequest({
          url: `${base}/v1/auth/login`,
          method: 'POST',
          data: { appId: options.appId, code },
        })
        if (r.statusCode !== 200) throw serverError(r.statusCode, r.data)
        const s = r.data as Session
        wx.setStorageSync(sessionKey, { token: s.token, userId: s.userId, expiresAt: s.expiresAt })
      })().then(
        (v) => ((loggingIn = undefined), v),
        (e: unknown) => {
          loggingIn = undefined
          throw e
        },
      )
    return loggingIn
  }

  async function loadTemplates(): Promise<TemplateInfo[]> {
    templates = (await call('GET', '/v1/me/templates')) as TemplateInfo[]
    wx.setStorageSync(templatesKey, templates)
    return templates
  }

  function find(ref: string): TemplateInfo | undefined {
    for (const t of templates) if (t.alias === ref || t.id === ref) return t
    return undefined
  }

  function creditsByName(list: TemplateInfo[]): Record<string, number> {
    const out: Record<string, number> = {}
    for (const t of list) out[t.alias ?? t.id] = t.credits
    return out
  }

  /** Every call's outcome to the server: answers as `results`, a failure as `fail`. */
  function report(o: CallOutcome): Promise<unknown> {
    if (o.answers) return call('POST', '/v1/consents', { results: o.answers })
    if (o.fail && o.fail.errCode !== undefined)
      return call('POST', '/v1/consents', {
        fail: { errCode: o.fail.errCode, errMsg: o.fail.errMsg, templates: o.tmplIds },
      })
    return Promise.resolve()
  }

  return {
    login,

    subscribe(refs) {
      const list = typeof refs === 'string' ? [refs] : refs
      const wanted: TemplateInfo[] = []
      for (const ref of list) {
        const t = find(ref)
        if (!t) return Promise.reject(unknownTemplate(ref))
        wanted.push(t)
      }
      const nameOf: Record<string, string> = {}
      for (let i = 0; i < list.length; i++) nameOf[wanted[i]!.id] = list[i]!
      // Synchronous from here to the first wx.requestSubscribeMessage: the tap must still be on.
      const reports: Promise<unknown>[] = []
      let tapError: string | undefined
      const done = requestInTap(splitCalls(wanted, perCall), (o) => {
        if (o.fail && isTapError(o.fail.errMsg)) tapError = o.fail.errMsg
        else reports.push(report(o))
      })
      return done.then(async (outcomes) => {
        await Promise.all(reports)
        if (tapError !== undefined && outcomes.every((o) => o.fail && isTapError(o.fail.errMsg)))
          throw notInTap(tapError)
        const results: SubscribeResult[] = []
        for (const o of outcomes)
          for (const id of o.tmplIds) {
            const answer = o.answers?.[id]
            results.push(
              answer
                ? { template: nameOf[id] ?? id, id, result: answer }
                : {
                    template: nameOf[id] ?? id,
                    id,
                    result: 'fail',
                    ...(o.fail?.errCode === undefined ? {} : { errCode: o.fail.errCode }),
                    ...(o.fail ? { errMsg: o.fail.errMsg } : {}),
                  },
            )
          }
        return { results, credits: creditsByName(await loadTemplates()) }
      })
    },

    async syncSettings() {
      let s
      try {
        s = await wxGetSubscriptionsSetting()
      } catch (e) {
        throw wxCallFailed('wx.getSetting', (e as { errMsg?: string }).errMsg ?? String(e))
      }
      const answer = (await call('PUT', '/v1/me/settings', {
        mainSwitch: s.mainSwitch,
        itemSettings: s.itemSettings ?? {},
      })) as { mainSwitch: boolean; itemSettings: Record<string, string> }
      await loadTemplates()
      return { mainSwitch: answer.mainSwitch, itemSettings: answer.itemSettings }
    },

    async needsConsent(ref) {
      await loadTemplates()
      const t = find(ref)
      if (!t) throw unknownTemplate(ref)
      return t.credits <= 0
    },

    async credits() {
      return creditsByName(await loadTemplates())
    },

    templates: () => templates.slice(),
  }
}
