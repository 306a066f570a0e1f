// Errors of the admin console's API (/console/api/*).
import { defineError } from '../errors.ts'

export const consoleLoginFailed = defineError({
  code: 'console.login_failed',
  status: 401,
  zh: '用户名或密码不正确',
  en: 'Wrong username or password',
})
export const consoleLoginRateLimited = defineError({
  code: 'console.login_rate_limited',
  status: 429,
  zh: '登录失败次数过多，请稍后再试',
  en: 'Too many failed logins; try again later',
})
export const consoleSessionMissing = defineError({
  code: 'console.session_missing',
  status: 401,
  zh: '未登录或会话已过期，请重新登录',
  en: 'Not logged in, or the session expired; log in again',
})
export const consoleCsrfInvalid = defineError({
  code: 'console.csrf_invalid',
  status: 403,
  zh: '缺少或错误的 CSRF 令牌（x-csrf-token 请求头）',
  en: 'The CSRF token (x-csrf-token header) is missing or wrong',
})
export const consoleRoleForbidden = defineError({
  code: 'console.role_forbidden',
  status: 403,
  zh: '当前角色无权执行此操作',
  en: 'Your role may not do this',
})
export const consoleAppForbidden = defineError({
  code: 'console.app_forbidden',
  status: 403,
  zh: '你没有这个应用的访问权限',
  en: 'You have no access to this app',
})
export const consoleOperatorExists = defineError({
  code: 'console.operator_exists',
  status: 409,
  zh: '该用户名已存在',
  en: 'This username exists already',
})
export const consoleOperatorNotFound = defineError({
  code: 'console.operator_not_found',
  status: 404,
  zh: '没有这个控制台用户',
  en: 'No such console user',
})
export const consolePasswordWeak = defineError({
  code: 'console.password_weak',
  status: 400,
  zh: '密码至少 10 个字符',
  en: 'The password needs at least 10 characters',
})
export const consoleNotBuilt = defineError({
  code: 'console.not_built',
  status: 503,
  zh: '控制台尚未构建：请运行 npm run build -w @wxpush/console',
  en: 'The console is not built: run npm run build -w @wxpush/console',
})
export const consoleUserNotFound = defineError({
  code: 'console.user_not_found',
  status: 404,
  zh: '该应用下没有这个用户',
  en: 'No such user in this app',
})
