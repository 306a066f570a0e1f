// The demo world of `npm run dev`, from the seeds: one app, three templates, three users.
// Everything goes through the real paths: templates are created in the simulator and synced from
// it, users log in with a wx.login code, and consent is reported like the mini program reports it.

export const DEMO_APP = {
  appId: 'wx0demo0000000001',
  secret: 'demo-secret-0123456789abcdef0123',
  name: '演示小程序 Demo',
}

export const DEMO_TEMPLATES = [
  {
    alias: 'checkin_reminder',
    title: '活动签到提醒',
    type: 2,
    keywords: [
      { key: 'time24', name: '签到时间' },
      { key: 'time27', name: '结束时间' },
      { key: 'thing21', name: '活动名称' },
      { key: 'thing23', name: '温馨提示' },
    ],
    example: {
      time24: '2019年11月11日 20:20',
      time27: '2019年11月11日 22:00',
      thing21: '周末读书会',
      thing23: '签到成功，散会后即可离开',
    },
  },
  {
    alias: 'order_notice',
    title: '订单状态通知',
    type: 2,
    keywords: [
      { key: 'thing1', name: '商品名称' },
      { key: 'number2', name: '订单编号' },
      { key: 'amount3', name: '订单金额' },
      { key: 'phrase4', name: '订单状态' },
      { key: 'thing6', name: '备注' },
    ],
    example: {
      thing1: '合同A',
      number2: '20191001',
      amount3: '10元',
      phrase4: '五个纯汉字',
      thing6: '王经理',
    },
  },
  {
    alias: 'class_notice',
    title: '上课提醒',
    type: 2,
    keywords: [
      { key: 'phrase1', name: '学生姓名' },
      { key: 'date5', name: '上课时间' },
      { key: 'phrase4', name: '授课老师' },
    ],
    example: { phrase1: '王小二', date5: '2019年10月1日 15:01', phrase4: '王老师' },
  },
] as const

export const DEMO_USER_COUNT = 3
/** One-time credits granted to the first demo user on each start (each accept allows one send). */
export const DEMO_ACCEPTS = 3
