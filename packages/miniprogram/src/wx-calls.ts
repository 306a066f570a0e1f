// The few wx.* APIs the SDK uses, as promises. `wx` is the mini program's global.

export interface HttpAnswer {
  statusCode: number
  data: unknown
}

export function wxLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (r) => resolve(r.code),
      fail: (e) => reject(e),
    })
  })
}

export function wxRequest(p: {
  url: string
  method: 'GET' | 'POST' | 'PUT'
  data?: Record<string, unknown>
  token?: string
}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const header: Record<string, string> = { 'content-type': 'application/json' }
    if (p.token) header.authorization = `Bearer ${p.token}`
    wx.request({
      url: p.url,
      method: p.method,
      header,
      ...(p.data === undefined ? {} : { data: p.data }),
      dataType: 'json',
      success: (r) => resolve({ statusCode: r.statusCode, data: r.data }),
      fail: (e) => reject(e),
    })
  })
}

export interface SubscriptionsSetting {
  mainSwitch: boolean
  itemSettings?: Record<string, string>
}

export function wxGetSubscriptionsSetting(): Promise<SubscriptionsSetting> {
  return new Promise((resolve, reject) => {
    wx.getSetting({
      withSubscriptions: true,
      success: (r) => {
        const s = r.subscriptionsSetting as SubscriptionsSetting | undefined
        // Before base library 2.10.1 there is no subscriptionsSetting: nothing is known to be off.
        resolve(
          s
            ? { mainSwitch: s.mainSwitch, ...(s.itemSettings ? { itemSettings: s.itemSettings } : {}) }
            : { mainSwitch: true },
        )
      },
      fail: (e) => reject(e),
    })
  })
}
