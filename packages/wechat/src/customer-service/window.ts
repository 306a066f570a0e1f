// The customer-service window (WECHAT-REFERENCE §7.1, the official "客服消息下发条件"
// https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/customer-message/send.html):
// the user's message allows 5 messages within 48 h, entering the session 2 within 1 min. Counts do not
// add up: an action sets the count to the larger of what is left (if the window is still open) and its
// own allowance, and the deadline to the later of the two ("条数不累加…更新为当前可下发条数限制的最大值，
// 有效下发时间限制也更新为最长有效时间").

export type CustomerServiceAction = 'message' | 'session'

export const CUSTOMER_SERVICE_ALLOWANCE: Readonly<
  Record<CustomerServiceAction, { count: number; ttlMs: number }>
> = {
  message: { count: 5, ttlMs: 48 * 3_600_000 },
  session: { count: 2, ttlMs: 60_000 },
}

export interface CustomerServiceWindow {
  /** Messages still allowed before `untilMs`. */
  left: number
  /** When the window closes (ms since the epoch); 0 = never opened. */
  untilMs: number
}

export const CLOSED_WINDOW: CustomerServiceWindow = { left: 0, untilMs: 0 }

/** The window after a user action at `atMs`. */
export function openCustomerServiceWindow(
  w: CustomerServiceWindow,
  atMs: number,
  action: CustomerServiceAction,
): CustomerServiceWindow {
  const grant = CUSTOMER_SERVICE_ALLOWANCE[action]
  const open = w.untilMs > atMs
  return {
    left: Math.max(open ? w.left : 0, grant.count),
    untilMs: Math.max(open ? w.untilMs : 0, atMs + grant.ttlMs),
  }
}

/** May a message go at `nowMs`? `closed`: outside the window (45015); `used_up`: no count left (45047). */
export function customerServiceWindowState(
  w: CustomerServiceWindow,
  nowMs: number,
): 'open' | 'closed' | 'used_up' {
  if (w.untilMs <= nowMs) return 'closed'
  return w.left > 0 ? 'open' : 'used_up'
}
