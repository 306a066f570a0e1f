import { defineError } from '../errors.ts'

export const appNotFound = defineError({
  code: 'apps.not_found',
  status: 404,
  zh: '没有这个小程序应用',
  en: 'No such mini program app',
})
export const appExists = defineError({
  code: 'apps.exists',
  status: 409,
  zh: '该 appId 已存在',
  en: 'An app with this appId exists already',
})
export const apiKeyMissing = defineError({
  code: 'auth.api_key_missing',
  status: 401,
  zh: '缺少 API 密钥：请在 Authorization 头中带上 Bearer <apiKey>',
  en: 'Missing API key: send Authorization: Bearer <apiKey>',
})
export const apiKeyInvalid = defineError({
  code: 'auth.api_key_invalid',
  status: 401,
  zh: 'API 密钥无效或已吊销',
  en: 'The API key is not valid or was revoked',
})
export const forbidden = defineError({
  code: 'auth.forbidden',
  status: 403,
  zh: '此密钥无权访问该应用或接口',
  en: 'This key may not use this app or route',
})
