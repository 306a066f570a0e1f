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
