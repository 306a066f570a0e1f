// The retired channels answered truthfully: `channel: "template"` (form_id / prepay_id) and
// `channel: "uniform"` are refused with 410 before anything else is looked at, naming the date WeChat
// switched them off, what its endpoint answers today, and the successor. docs/channels.md maps each
// old concept to its successor.
import { RETIRED_CHANNELS, type RetiredChannel } from '@wxpush/wechat'
import { channelRetired } from './channels.errors.ts'

const USE_INSTEAD: Record<RetiredChannel, string> = {
  template:
    'subscription messages: POST /v1/messages {to, template, data} after the user accepted (wx.requestSubscribeMessage)',
  uniform:
    'subscription messages, or an official-account template message: POST /v1/messages with fallback: "official_account"',
}

export function isRetiredChannel(channel: unknown): channel is RetiredChannel {
  return typeof channel === 'string' && Object.hasOwn(RETIRED_CHANNELS, channel)
}

export function retiredChannelError(channel: RetiredChannel) {
  const fact = RETIRED_CHANNELS[channel]
  return channelRetired({
    channel,
    retiredOn: fact.retiredOn,
    wechatPath: fact.path,
    wechatErrcode: fact.wechatErrcode,
    useInstead: USE_INSTEAD[channel],
    docs: 'docs/channels.md',
  })
}
