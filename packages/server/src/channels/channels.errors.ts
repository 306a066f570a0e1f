import { defineError } from '../errors.ts'

export const channelRetired = defineError({
  code: 'channels.retired',
  status: 410,
  zh: '该消息通道已被微信停用（见 details：停用日期、微信现在的回答、替代方式）。模板消息（form_id / prepay_id）于 2020-01-10 下线，微信现回 48001；统一服务消息于 2023-09-20 停用，微信现回 45109。请改用订阅消息（template + data），或公众号模板消息（fallback: "official_account"）',
  en: 'WeChat retired this channel (see details: when, what WeChat answers today, what to use instead). Template messages (form_id / prepay_id) went offline on 2020-01-10 and answer 48001; uniform messages stopped on 2023-09-20 and answer 45109. Use subscription messages (template + data), or official-account template messages (fallback: "official_account")',
})
