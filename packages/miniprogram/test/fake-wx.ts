// A fake `wx` for tests, backed by the real simulator and the real wxpush over HTTP:
//   login                    asks the simulator's control API for a code for this user
//   requestSubscribeMessage  the simulator's subscribe control route (so WeChat's popup event
//                            reaches wxpush's callback too), with the client-side rules WeChat
//                            documents: only from a tap (the TAP error otherwise), at most
//                            `maxIdsPerCall` ids (20003), 10005 while the app is in the background
//   request                  fetch, answering {statusCode, data, header} like wx.request
//   storage                  getStorageSync / setStorageSync / removeStorageSync on a Map
//   getSetting               {withSubscriptions: true} → subscriptionsSetting from the simulator
// The tap: `tap(handler)` runs the handler as a bindtap would. A popup opened in a tap keeps the
// gesture for the calls started from its callbacks (how the SDK chains calls of at most 3); this is
// the fake's assumption, WeChat documents only the TAP rule itself.

type Callbacks<T> = {
  success?: (r: T) => void
  fail?: (e: { errMsg: string; errCode?: number }) => void
  complete?: () => void
}

export interface FakeUser {
  /** What the user would tap for a template in the popup (default accept). */
  choose: (tmplId: string) => string
  /** The user ticks "总是保持以上选择，不再询问" in the popups from now on. */
  keep: boolean
}

export interface FakeWx {
  wx: Record<string, unknown>
  user: FakeUser
  /** The app went to the background: requestSubscribeMessage fails 10005. */
  background: boolean
  /** Every wx.requestSubscribeMessage call's tmplIds, in order. */
  subscribeCalls: string[][]
  storage: Map<string, unknown>
  /** Runs a handler as a tap does: wx.requestSubscribeMessage works while it runs synchronously. */
  tap<T>(handler: () => T): T
  /** wx.login answers codes the server will refuse (a user WeChat no longer knows). */
  breakLogin: boolean
  install(): void
}

export function createFakeWx(p: {
  simulatorUrl: string
  appId: string
  openid: string
  maxIdsPerCall?: number
}): FakeWx {
  const control = `${p.simulatorUrl}/control/apps/${p.appId}/users/${p.openid}`
  const maxIds = p.maxIdsPerCall ?? 3
  let inTap = false

  const inGesture = <A extends unknown[]>(fn: ((...a: A) => void) | undefined, gesture: boolean) =>
    fn &&
    ((...a: A) => {
      const before = inTap
      inTap = gesture
      try {
        fn(...a)
      } finally {
        inTap = before
      }
    })

  const fake: FakeWx = {
    user: { choose: () => 'accept', keep: false },
    background: false,
    subscribeCalls: [],
    storage: new Map(),
    breakLogin: false,
    tap(handler) {
      const before = inTap
      inTap = true
      try {
        return handler()
      } finally {
        inTap = before
      }
    },
    install() {
      ;(globalThis as { wx?: unknown }).wx = fake.wx
    },
    wx: {
      login(o: Callbacks<{ code: string; errMsg: string }>) {
        void (async () => {
          if (fake.breakLogin) return { code: 'code-wechat-never-issued', errMsg: 'login:ok' }
          const res = await fetch(`${control}/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
          const { code } = (await res.json()) as { code: string }
          return { code, errMsg: 'login:ok' }
        })().then(
          (r) => (o.success?.(r), o.complete?.()),
          (e: unknown) => (o.fail?.({ errMsg: `login:fail ${String(e)}` }), o.complete?.()),
        )
      },

      request(
        o: Callbacks<{ statusCode: number; data: unknown; header: Record<string, string> }> & {
          url: string
          method?: string
          data?: unknown
          header?: Record<string, string>
        },
      ) {
        const method = o.method ?? 'GET'
        void fetch(o.url, {
          method,
          headers: o.header ?? {},
          ...(o.data === undefined || method === 'GET' ? {} : { body: JSON.stringify(o.data) }),
        })
          .then(async (res) => {
            const text = await res.text()
            let data: unknown = text
            try {
              data = JSON.parse(text)
            } catch {
              // not JSON: wx.request gives the text
            }
            return { statusCode: res.status, data, header: Object.fromEntries(res.headers) }
          })
          .then(
            (r) => (o.success?.(r), o.complete?.()),
            (e: unknown) => (o.fail?.({ errMsg: `request:fail ${String(e)}` }), o.complete?.()),
          )
      },

      getStorageSync: (key: string) => (fake.storage.has(key) ? structuredClone(fake.storage.get(key)) : ''),
      setStorageSync: (key: string, value: unknown) => void fake.storage.set(key, structuredClone(value)),
      removeStorageSync: (key: string) => void fake.storage.delete(key),

      getSetting(o: Callbacks<Record<string, unknown>> & { withSubscriptions?: boolean }) {
        void fetch(`${control}/settings`)
          .then((r) => r.json() as Promise<Record<string, unknown>>)
          .then((s) => {
            o.success?.({
              errMsg: 'getSetting:ok',
              authSetting: {},
              ...(o.withSubscriptions ? { subscriptionsSetting: s } : {}),
            })
            o.complete?.()
          })
      },

      requestSubscribeMessage(o: Callbacks<Record<string, string>> & { tmplIds: string[] }) {
        const gesture = inTap
        const success = inGesture(o.success, gesture)
        const fail = inGesture(o.fail, gesture)
        const complete = inGesture(o.complete, gesture)
        fake.subscribeCalls.push([...o.tmplIds])
        const failWith = (e: { errMsg: string; errCode?: number }) =>
          setTimeout(() => (fail?.(e), complete?.()), 0)
        if (!gesture)
          return failWith({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.' })
        if (fake.background)
          return failWith({
            errMsg: 'requestSubscribeMessage:fail Cannot show subscribe message UI',
            errCode: 10005,
          })
        if (o.tmplIds.length > maxIds)
          return failWith({
            errMsg: 'requestSubscribeMessage:fail Templates count out of max bounds',
            errCode: 20003,
          })
        const results = Object.fromEntries(o.tmplIds.map((id) => [id, fake.user.choose(id)]))
        void fetch(`${control}/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ results, keep: fake.user.keep }),
        }).then(async (res) => {
          const answer = (await res.json()) as Record<string, string> & { errCode?: number; errMsg: string }
          if (res.status === 200) success?.(answer)
          else
            fail?.({
              errMsg: answer.errMsg,
              ...(answer.errCode === undefined ? {} : { errCode: answer.errCode }),
            })
          complete?.()
        })
      },
    },
  }
  return fake
}
