import { defineError } from '../errors.ts'

export const webhookNotSet = defineError({
  code: 'webhooks.not_set',
  status: 404,
  zh: '该应用未配置 webhook',
  en: 'This app has no webhook',
})
