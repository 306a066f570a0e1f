// 首页：登录状态、剩余可发条数、"接收通知"按钮（只在没有额度时显示）。
// Home: login state, credits left, and the "接收通知" button (shown only when a credit is needed).
const app = getApp()

Page({
  data: {
    loggedIn: false,
    needsConsent: false,
    credits: 0,
    mainSwitchOff: false,
    message: '',
  },

  onShow() {
    return this.refresh()
  },

  refresh() {
    const { wxpush, config } = app
    return app.ready
      .then(() => wxpush.needsConsent(config.checkinTemplate))
      .then((needsConsent) => {
        const t = wxpush.templates().find((x) => x.alias === config.checkinTemplate)
        this.setData({
          loggedIn: true,
          needsConsent,
          credits: t ? t.credits : 0,
          mainSwitchOff: !!(t && t.mainSwitch === false),
        })
      })
      .catch((err) => this.setData({ message: `出错了 / error: ${err.code || err.message}` }))
  },

  // bindtap: subscribe() must be the first thing the tap does (no await before it).
  onSubscribe() {
    const { wxpush, config } = app
    return wxpush
      .subscribe([config.checkinTemplate])
      .then(({ results }) => {
        this.setData({ message: describe(results[0]) })
        return this.refresh()
      })
      .catch((err) => this.setData({ message: `出错了 / error: ${err.code || err.message}` }))
  },

  goCheckin() {
    wx.navigateTo({ url: '/pages/checkin/index' })
  },
})

/** What the user should read after the popup. */
function describe(r) {
  if (!r) return ''
  if (r.result.indexOf('accept') === 0) return '已订阅，活动结束后会通知你 / Subscribed: you will be notified'
  if (r.result === 'reject') return '你拒绝了通知 / You declined the notice'
  if (r.errCode === 20004)
    return '订阅消息总开关已关闭：请在右上角「…」→ 设置 → 订阅消息中打开 / The main switch is off: turn it on in Settings → Subscriptions'
  if (r.errCode === 10005) return '小程序在后台，未能弹出 / The app was in the background'
  return `未能订阅 / Not subscribed (${r.result}${r.errCode ? ' ' + r.errCode : ''})`
}
