// 签到页（seed 004）：用户点"签到"，签到完成的同一次点击里请求"活动签到提醒"，散会后后台发送
// "签到成功，散会后即可离开"。这是请求订阅的最佳时机：紧跟在消息所说的那个动作之后。
// Check-in (seed 004): the "签到" tap checks in and, in the same tap, asks for the check-in reminder
// the backend sends when the meeting is over. The right moment to ask: right after the action the
// message is about.
const app = getApp()

Page({
  data: { checkedIn: false, subscribed: false, message: '' },

  onCheckin() {
    const { wxpush, config } = app
    // First the popup (it needs the tap), then the check-in itself is recorded by your backend.
    const asked = wxpush.subscribe([config.checkinTemplate])
    this.setData({ checkedIn: true, message: '签到成功 / Checked in' })
    return asked
      .then(({ results }) => {
        const accepted = results[0] && results[0].result.indexOf('accept') === 0
        this.setData({
          subscribed: accepted,
          message: accepted
            ? '签到成功，散会后会通知你 / Checked in: you will be told when the meeting is over'
            : '签到成功（未订阅散会通知）/ Checked in (no end-of-meeting notice)',
        })
      })
      .catch((err) => this.setData({ message: `出错了 / error: ${err.code || err.message}` }))
  },
})
