// errcode → errmsg as WeChat writes it (WECHAT-REFERENCE.md §0.1, §1, §2, §3.3, §5, §7, §8).
// Kept here, not imported from the wechat package, so that the two sides stay independent.
// Texts marked "(assumed)" are not confirmed by a source; clients must never compare errmsg text.

const TEXTS: Record<number, string> = {
  [-1]: 'system error',
  40001:
    'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40008: 'invalid message type',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40101: 'missing parameter',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41028: 'invalid form id',
  41029: 'form id used count reach limit',
  41030: 'invalid page',
  42001: 'access_token expired',
  43002: 'require POST method',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45072: 'invalid command',
  45109: 'this api has been offline', // (assumed) the code is confirmed, the text is not
  47001: 'data format error',
  47003: 'argument invalid!',
  48001: 'api unauthorized',
  200012: 'private template count reach limit', // (assumed)
  200014: 'template tid not exist', // (assumed)
  200016: 'start is invalid', // (assumed)
  200017: 'limit is invalid', // (assumed)
  200018: 'ids is missing', // (assumed)
  200019: 'ids is invalid', // (assumed)
  200020: 'kidList is invalid', // (assumed)
  200021: 'sceneDesc is invalid', // (assumed)
}

export function errmsgText(errcode: number): string {
  return TEXTS[errcode] ?? 'system error'
}

let ridCounter = 0
const ridBoot = Math.floor(Math.random() * 0xffffffff)

/** `rid: xxxxxxxx-xxxxxxxx-xxxxxxxx`, three groups of 8 hex digits, as current WeChat errmsgs end. */
export function rid(nowMs: number): string {
  ridCounter = (ridCounter + 1) >>> 0
  const a = Math.floor(nowMs / 1000) >>> 0
  return `rid: ${hex8(a)}-${hex8(ridBoot)}-${hex8(ridCounter)}`
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0')
}
