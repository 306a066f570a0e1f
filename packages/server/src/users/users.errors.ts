import { defineError } from '../errors.ts'

export const loginCodeInvalid = defineError({
  code: 'auth.code_invalid',
  status: 400,
  zh: '登录 code 无效或已过期（微信 40029）：请重新调用 wx.login 获取新的 code',
  en: 'The login code is invalid or expired (WeChat 40029): call wx.login again for a new code',
})
export const loginCodeUsed = defineError({
  code: 'auth.code_used',
  status: 400,
  zh: '登录 code 已被使用（微信 40163）：每个 code 只能用一次',
  en: 'The login code was used already (WeChat 40163): each code works once',
})
export const loginTooFrequent = defineError({
  code: 'auth.too_frequent',
  status: 429,
  zh: '登录过于频繁，请稍后再试',
  en: 'Too many logins; try again later',
})
export const loginUserBlocked = defineError({
  code: 'auth.user_blocked',
  status: 403,
  zh: '微信判定该用户为高风险用户，已拦截登录（微信 40226）',
  en: 'WeChat blocked this user as high-risk (WeChat 40226)',
})
export const loginFailed = defineError({
  code: 'auth.wechat_failed',
  status: 502,
  zh: '微信登录接口返回错误，详见 details',
  en: 'WeChat’s login endpoint answered an error; see details',
})
export const sessionMissing = defineError({
  code: 'auth.session_missing',
  status: 401,
  zh: '缺少登录态：请先调用 POST /v1/auth/login，并在 Authorization 头带上 Bearer <token>',
  en: 'Missing session: log in with POST /v1/auth/login and send Authorization: Bearer <token>',
})
export const sessionInvalid = defineError({
  code: 'auth.session_invalid',
  status: 401,
  zh: '登录态无效或已过期，请重新登录',
  en: 'The session is invalid or expired; log in again',
})
export const userNotFound = defineError({
  code: 'users.not_found',
  status: 404,
  zh: '没有这个用户',
  en: 'No such user',
})
export const loginWechatUnavailable = defineError({
  code: 'auth.wechat_unavailable',
  status: 502,
  zh: '无法连接微信登录接口（连接失败、断开或非 200 应答），请稍后重试；详见 details.transport',
  en: 'WeChat’s login endpoint could not be reached (refused, dropped or a non-200 answer); try again later, see details.transport',
})
export const loginWechatTimeout = defineError({
  code: 'auth.wechat_timeout',
  status: 504,
  zh: '微信登录接口超时未应答，请稍后重试（code 可能已被消耗，需重新 wx.login）',
  en: 'WeChat’s login endpoint did not answer in time; try again later (the code may be spent: call wx.login again)',
})
export const tagInvalid = defineError({
  code: 'users.tag_invalid',
  status: 422,
  zh: '标签不合法：标签为 1–64 个字母、数字或 -_.: 字符（见 details.tag）',
  en: 'Invalid tag: a tag is 1–64 letters, digits or -_.: characters (see details.tag)',
})
export const userQueryMissing = defineError({
  code: 'users.query_missing',
  status: 400,
  zh: 'GET /v1/users 需要 openid 或 tag 参数之一',
  en: 'GET /v1/users needs one of the openid or tag parameters',
})
