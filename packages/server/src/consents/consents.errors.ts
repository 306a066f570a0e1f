import { defineError } from '../errors.ts'

export const noCredit = defineError({
  code: 'messages.no_credit',
  status: 409,
  zh: '该用户没有此模板可用的订阅次数：需要用户在小程序中再次同意订阅（一次性订阅每次同意只能发送一条）',
  en: 'The user has no subscription credit for this template: they must accept it again in the mini program (one accept = one send)',
})
export const notSubscribed = defineError({
  code: 'messages.not_subscribed',
  status: 409,
  zh: '该用户未订阅或已关闭此长期订阅模板',
  en: 'The user has not subscribed to this long-term template, or switched it off',
})
export const userSwitchedOff = defineError({
  code: 'messages.user_switched_off',
  status: 409,
  zh: '该用户在微信设置中关闭了订阅消息（总开关关闭，或对此模板选择了“总是拒绝”），微信不会送达：未调用微信接口',
  en: 'The user switched subscription messages off in WeChat’s settings (main switch off, or "always reject" for this template): WeChat would not deliver, so it was not called',
})
export const templateUnknown = defineError({
  code: 'consents.template_unknown',
  status: 422,
  zh: '上报的模板不是本小程序的模板（或已删除）：只接受本应用模板库中的模板 ID',
  en: 'A reported template is not one of this app’s templates (or was deleted): only template ids of the app’s registry are accepted',
})
export const tooManyTemplates = defineError({
  code: 'consents.too_many_templates',
  status: 422,
  zh: '一次上报的模板数超过 wx.requestSubscribeMessage 一次调用的上限',
  en: 'More templates in one report than one wx.requestSubscribeMessage call can ask for',
})
export const reportEmpty = defineError({
  code: 'consents.report_empty',
  status: 422,
  zh: '上报内容为空：需要 results 或 fail 之一',
  en: 'Empty report: send results or fail',
})
