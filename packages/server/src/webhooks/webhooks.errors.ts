import { defineError } from '../errors.ts'

export const webhookNotSet = defineError({
  code: 'webhooks.not_set',
  status: 404,
  zh: '该应用未配置 webhook',
  en: 'This app has no webhook',
})
export const webhookUrlInvalid = defineError({
  code: 'webhooks.url_invalid',
  status: 422,
  zh: 'webhook 地址不合法：须为带主机名的 http(s) URL，且不能含用户名或密码（见 details.rule）',
  en: 'Invalid webhook URL: an http(s) URL with a host and no user name or password (see details.rule)',
})
export const webhookUrlRefused = defineError({
  code: 'webhooks.url_refused',
  status: 422,
  zh: 'webhook 地址指向本机、内网、链路本地或保留地址，已拒绝；如确需投递到内网，请设置 WXPUSH_WEBHOOK_ALLOW_PRIVATE=true',
  en: 'The webhook URL points at a loopback, private, link-local or reserved address; set WXPUSH_WEBHOOK_ALLOW_PRIVATE=true to allow private targets',
})
