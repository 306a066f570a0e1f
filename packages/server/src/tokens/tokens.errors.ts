import { defineError } from '../errors.ts'

export const tokenUnavailable = defineError({
  code: 'tokens.unavailable',
  status: 502,
  zh: '无法从微信获取 access_token（详见 details.errcode 与说明）',
  en: 'Could not get an access_token from WeChat (see details.errcode and its explanation)',
})
