// The errors of the HTTP layer itself: bad requests, unknown routes, and the server's own failures.
import { defineError } from '../errors.ts'

export const requestInvalid = defineError({
  code: 'request.invalid',
  status: 400,
  zh: '请求不合法',
  en: 'The request is not valid',
})
export const requestNotFound = defineError({
  code: 'request.not_found',
  status: 404,
  zh: '没有这个接口',
  en: 'No such route',
})
export const requestTextInvalid = defineError({
  code: 'request.text_invalid',
  status: 422,
  zh: '文本不合法：不能含 NUL 字符（\\u0000），且必须是合法的 Unicode（不能有孤立的代理项），见 details.field 与 details.rule',
  en: 'Invalid text: no NUL character (\\u0000) and well-formed Unicode only (no lone surrogate); see details.field and details.rule',
})
export const requestValueInvalid = defineError({
  code: 'request.value_invalid',
  status: 422,
  zh: '某个值超出了数据库能存储的范围（如日期或数字越界）',
  en: 'A value is outside what the database can store (a date or a number out of range, say)',
})
export const serviceStopping = defineError({
  code: 'server.stopping',
  status: 503,
  zh: '服务正在停止，请稍后重试或换一个实例',
  en: 'The service is stopping; retry later or on another instance',
})
export const internalError = defineError({
  code: 'server.internal',
  status: 500,
  zh: '服务内部错误，详情已记入日志',
  en: 'Internal error; the details are in the server log',
})
export const databaseUnavailable = defineError({
  code: 'server.database_unavailable',
  status: 503,
  zh: '数据库暂时不可用，请稍后重试；已接受的消息不会丢失',
  en: 'The database is unavailable for a moment; retry later. Messages already accepted are not lost',
})
