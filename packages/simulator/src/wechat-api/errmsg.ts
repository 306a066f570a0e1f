// errcode → errmsg as WeChat writes it. The confirmed texts are shared facts (@wxpush/wechat/facts,
// docs/wechat.md §0.1, §1–3, §7–9); the ones below are what the simulator answers beyond them.
// Texts marked "(assumed)" are not confirmed by a source; clients must never compare errmsg text.
import { WECHAT_ERRMSGS } from '@wxpush/wechat/facts'

const MORE_TEXTS: Record<number, string> = {
  40002: 'invalid grant_type',
  40008: 'invalid message type',
  41029: 'form id used count reach limit',
  45047: 'out of response count limit',
  45072: 'invalid command',
  45109: 'this api has been offline', // (assumed) the code is confirmed, the text is not
  47003: 'argument invalid!',
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
  return WECHAT_ERRMSGS[errcode] ?? MORE_TEXTS[errcode] ?? 'system error'
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
