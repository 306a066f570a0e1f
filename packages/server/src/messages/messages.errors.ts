import { defineError } from '../errors.ts'

export const messageNotFound = defineError({
  code: 'messages.not_found',
  status: 404,
  zh: '没有这条消息',
  en: 'No such message',
})
export const contentInvalid = defineError({
  code: 'messages.content_invalid',
  status: 422,
  zh: '消息内容不符合模板关键词的规则（见 details.violations：字段、类型、规则与值）；可加 fit: true 自动修正可安全修正的值',
  en: 'The content breaks the template’s keyword rules (see details.violations: key, type, rule, value); fit: true fixes what is safe to fix',
})
export const recipientUnknown = defineError({
  code: 'messages.recipient_unknown',
  status: 404,
  zh: '收件人不存在：该用户需要先通过小程序登录（POST /v1/auth/login）',
  en: 'Unknown recipient: the user must log in through the mini program first (POST /v1/auth/login)',
})
export const notCancellable = defineError({
  code: 'messages.not_cancellable',
  status: 409,
  zh: '消息已在发送或已结束，不能取消',
  en: 'The message is being sent or has finished; it cannot be cancelled',
})
export const sendAtInvalid = defineError({
  code: 'messages.send_at_invalid',
  status: 400,
  zh: 'sendAt 不是合法的 ISO 时间',
  en: 'sendAt is not a valid ISO time',
})
