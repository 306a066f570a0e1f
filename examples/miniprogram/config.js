// 指向你的 wxpush / point this at your wxpush.
// `npm run dev` 默认：API 在 3000 端口，演示应用 wx0demo0000000001。在开发者工具中勾选「不校验合法域名」，
// 或把你的 wxpush 域名加入小程序的 request 合法域名。
// `npm run dev` defaults: the API on port 3000, the demo app wx0demo0000000001. In DevTools tick
// "do not verify request domains", or add your wxpush's domain to the app's request domains.
module.exports = {
  baseUrl: 'http://127.0.0.1:3000',
  appId: 'wx0demo0000000001',
  // 签到提醒模板的别名（seed 004）/ the alias of the check-in reminder template (seed 004)
  checkinTemplate: 'checkin_reminder',
}
