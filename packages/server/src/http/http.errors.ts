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
