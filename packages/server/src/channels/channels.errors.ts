import { defineError } from '../errors.ts'

export const channelRetired = defineError({
  code: 'channels.retired',
  status: 410,
  zh: '该消息通道已被微信停用（见 details：停用日期、微信现在的回答、替代方式）。模板消息（form_id / prepay_id）于 2020-01-10 下线，微信现回 48001；统一服务消息于 2023-09-20 停用，微信现回 45109。请改用订阅消息（template + data），或公众号模板消息（fallback: "official_account"）',
  en: 'WeChat retired this channel (see details: when, what WeChat answers today, what to use instead). Template messages (form_id / prepay_id) went offline on 2020-01-10 and answer 48001; uniform messages stopped on 2023-09-20 and answer 45109. Use subscription messages (template + data), or official-account template messages (fallback: "official_account")',
})
export const windowClosed = defineError({
  code: 'channels.window_closed',
  status: 409,
  zh: '客服消息窗口已关闭：用户发消息后 48 小时内可发 5 条，进入客服会话后 1 分钟内可发 2 条（details.closedAt 为关闭时间；从未打开则为 null）。未调用微信（微信会回 45015）',
  en: 'The customer-service window is closed: 5 messages within 48 h of the user’s message, 2 within 1 min of entering the session (details.closedAt says when it closed; null if it never opened). WeChat was not called (it would answer 45015)',
})
export const windowUsedUp = defineError({
  code: 'channels.window_used_up',
  status: 409,
  zh: '本次客服消息窗口的条数已用完（details.openUntil 为窗口关闭时间）；等用户再次发消息或进入会话。未调用微信（微信会回 45047）',
  en: 'This customer-service window’s messages are used up (details.openUntil says when it closes); wait for the user to write or enter the session again. WeChat was not called (it would answer 45047)',
})
export const contentInvalid = defineError({
  code: 'channels.content_invalid',
  status: 422,
  zh: '客服消息内容不合法（details.field 指出字段，details.rule 指出规则）',
  en: 'The customer-service content is not valid (details.field names the field, details.rule the rule)',
})
export const mediaNotImage = defineError({
  code: 'channels.media_not_image',
  status: 415,
  zh: '上传的文件不是图片（小程序客服消息只支持 PNG、JPEG、GIF 图片）',
  en: 'The upload is not an image (mini-program customer service accepts PNG, JPEG and GIF images only)',
})
export const mediaTooLarge = defineError({
  code: 'channels.media_too_large',
  status: 413,
  zh: '图片过大（details.max 字节）',
  en: 'The image is too large (details.max bytes)',
})
export const mediaNotFound = defineError({
  code: 'channels.media_not_found',
  status: 422,
  zh: 'content.image.mediaId 不是本应用上传过的图片（先 POST /v1/media）',
  en: 'content.image.mediaId is not an image this app uploaded (POST /v1/media first)',
})
export const typingRefused = defineError({
  code: 'channels.typing_refused',
  status: 409,
  zh: '微信拒绝了输入状态（details.errcode：45080 = 30 秒内没有与用户的消息往来；45081 = 已在输入状态，15 秒内不可重复）',
  en: 'WeChat refused the typing state (details.errcode: 45080 = no message either way in the last 30 s; 45081 = already typing, not again within 15 s)',
})
export const wechatFailed = defineError({
  code: 'channels.wechat_failed',
  status: 502,
  zh: '微信接口返回错误（见 details.errcode）',
  en: 'WeChat answered an error (see details.errcode)',
})
export const noLinkedAccount = defineError({
  code: 'channels.no_linked_account',
  status: 422,
  zh: 'fallback: "official_account" 需要本应用关联的公众号（管理员密钥 PUT /v1/apps/:appId/official-account；见 docs/channels.md）',
  en: 'fallback: "official_account" needs an official account linked to this app (PUT /v1/apps/:appId/official-account with an admin-scope key; see docs/channels.md)',
})
export const officialAccountRefused = defineError({
  code: 'channels.official_account_refused',
  status: 422,
  zh: '微信拒绝了该公众号的 AppID / AppSecret（details.errcode），未关联',
  en: 'WeChat refused the official account’s AppID / AppSecret (details.errcode); nothing was linked',
})
