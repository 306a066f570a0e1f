import { defineError } from '../errors.ts'

export const callbackNotConfigured = defineError({
  code: 'callbacks.not_configured',
  status: 404,
  zh: '该应用未配置消息推送（PUT /v1/apps/:appId/callback）',
  en: 'Message push is not configured for this app (PUT /v1/apps/:appId/callback)',
})
export const callbackSignatureInvalid = defineError({
  code: 'callbacks.signature_invalid',
  status: 401,
  zh: '消息推送签名无效：检查 Token 与微信后台是否一致',
  en: 'The push signature is not valid: check that the Token matches the one set in WeChat',
})
export const callbackTimestampSkew = defineError({
  code: 'callbacks.timestamp_skew',
  status: 401,
  zh: '推送的 timestamp 超出允许的时间窗口（WXPUSH_CALLBACK_MAX_SKEW_S），可能是重放或时钟不准',
  en: 'The push timestamp is outside the allowed window (WXPUSH_CALLBACK_MAX_SKEW_S): a replay, or a wrong clock',
})
export const callbackDecryptFailed = defineError({
  code: 'callbacks.decrypt_failed',
  status: 401,
  zh: '无法解密推送：检查 EncodingAESKey 与微信后台是否一致',
  en: 'The push cannot be decrypted: check that the EncodingAESKey matches the one set in WeChat',
})
export const callbackAppidMismatch = defineError({
  code: 'callbacks.appid_mismatch',
  status: 401,
  zh: '密文中的 appid 不是本应用',
  en: 'The appid inside the ciphertext is not this app',
})
export const callbackBodyInvalid = defineError({
  code: 'callbacks.body_invalid',
  status: 400,
  zh: '推送的消息体无法解析',
  en: 'The push body cannot be parsed',
})
export const callbackModeMismatch = defineError({
  code: 'callbacks.mode_mismatch',
  status: 400,
  zh: '推送的加密方式与配置的消息加密方式不符',
  en: 'The push does not match the configured encryption mode',
})
export const callbackConfigInvalid = defineError({
  code: 'callbacks.config_invalid',
  status: 400,
  zh: '消息推送配置不合法',
  en: 'The message push configuration is not valid',
})
export const callbackNonceReused = defineError({
  code: 'callbacks.nonce_reused',
  status: 401,
  zh: '该 timestamp 与 nonce 已用于另一条推送：微信重试时正文不变，正文不同即为伪造',
  en: 'This timestamp and nonce came with another push already: WeChat retries with the same body, so a different body is forged',
})
