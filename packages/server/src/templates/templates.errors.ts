import { defineError } from '../errors.ts'

export const templateNotFound = defineError({
  code: 'templates.not_found',
  status: 404,
  zh: '没有这个模板：请检查别名或模板 ID，或先同步模板（POST /v1/templates/sync）',
  en: 'No such template: check the alias or template id, or sync first (POST /v1/templates/sync)',
})
export const templateSyncFailed = defineError({
  code: 'templates.sync_failed',
  status: 502,
  zh: '从微信同步模板失败，详见 details',
  en: 'Syncing templates from WeChat failed; see details',
})
export const aliasTaken = defineError({
  code: 'templates.alias_taken',
  status: 409,
  zh: '该别名已被另一个模板使用',
  en: 'This alias belongs to another template',
})
export const wechatRefused = defineError({
  code: 'templates.wechat_refused',
  status: 422,
  zh: '微信拒绝了该模板操作（details.errcode 为微信错误码，details.explanation 说明原因与解决办法）',
  en: 'WeChat refused the template operation (details.errcode is WeChat’s errcode; details.explanation says why and what to do)',
})
export const wechatFailed = defineError({
  code: 'templates.wechat_failed',
  status: 502,
  zh: '调用微信模板接口失败（系统繁忙、网络或未收录的错误码），请稍后重试；详见 details',
  en: 'WeChat’s template API failed (busy, network, or an uncatalogued errcode); try again later, see details',
})
