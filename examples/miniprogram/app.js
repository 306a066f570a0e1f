// One wxpush for the whole app; login on launch (wx.login → wxpush), pages wait on `ready`.
const { createWxpush } = require('@wxpush/miniprogram')
const config = require('./config')

const wxpush = createWxpush({ baseUrl: config.baseUrl, appId: config.appId })

App({
  wxpush,
  config,
  ready: null,
  onLaunch() {
    this.ready = wxpush.login().catch((err) => {
      console.error('wxpush 登录失败 / login failed', err)
      throw err
    })
  },
})
