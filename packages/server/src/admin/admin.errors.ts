import { defineError } from '../errors.ts'

export const adminDisabled = defineError({
  code: 'admin.disabled',
  status: 404,
  zh: '管理接口未启用：请设置 WXPUSH_ADMIN_KEY（dev 模式会自动生成）',
  en: 'The admin API is off: set WXPUSH_ADMIN_KEY (dev mode generates one)',
})
export const adminKeyMissing = defineError({
  code: 'admin.key_missing',
  status: 401,
  zh: '缺少管理密钥：请在 Authorization 头中带上 Bearer <WXPUSH_ADMIN_KEY>',
  en: 'Missing admin key: send Authorization: Bearer <WXPUSH_ADMIN_KEY>',
})
export const adminKeyInvalid = defineError({
  code: 'admin.key_invalid',
  status: 401,
  zh: '管理密钥不正确',
  en: 'The admin key is not correct',
})
export const apiKeyNotFound = defineError({
  code: 'admin.api_key_not_found',
  status: 404,
  zh: '该应用下没有这个未吊销的 API 密钥',
  en: 'This app has no live API key with this id',
})
