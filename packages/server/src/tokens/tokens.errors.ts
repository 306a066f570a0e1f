import { defineError } from '../errors.ts'

export const tokenUnavailable = defineError({
  code: 'tokens.unavailable',
  status: 502,
  zh: '无法从微信获取 access_token（详见 details.errcode 与说明）',
  en: 'Could not get an access_token from WeChat (see details.errcode and its explanation)',
})
export const accessTokenDisabled = defineError({
  code: 'tokens.access_token_disabled',
  status: 404,
  zh: '未开放 access_token 接口：需设置 WXPUSH_EXPOSE_ACCESS_TOKEN=true',
  en: 'The access_token endpoint is off: set WXPUSH_EXPOSE_ACCESS_TOKEN=true to enable it',
})
