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

export const credentialsInvalid = defineError({
  code: 'tokens.credentials_invalid',
  status: 502,
  zh: '微信拒绝了该应用的 AppSecret（详见 details.errcode）：在更换密钥（rotate-secret）之前不再向微信请求 access_token',
  en: "WeChat refused the app's AppSecret (see details.errcode): no access_token is asked for until the secret is rotated",
})
