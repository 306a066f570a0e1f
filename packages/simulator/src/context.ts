// What every handler gets: the state, the clock, faults, stats, the callback pusher and the limits.
import type { Clock } from './clock.ts'
import type { Faults } from './faults.ts'
import type { Stats } from './stats.ts'
import type { World } from './world.ts'
import type { CallbackPusher } from './callbacks/callback-push.ts'

/** Limits, each with WeChat's figure as the default (docs/wechat.md §9). */
export interface Limits {
  /** `/cgi-bin/token` calls per app per Beijing day (2 000). */
  tokenDaily: number
  /** `/cgi-bin/stable_token` calls per app per minute (10 000) and per day (500 000). */
  stableTokenPerMinute: number
  stableTokenDaily: number
  /** `force_refresh: true` per app per day (20) and the spacing in ms (30 s). */
  stableForceDaily: number
  stableForceSpacingMs: number
  /** `/sns/jscode2session` per user per minute (100). */
  loginPerUserPerMinute: number
  /** `subscribe/send` per app per day (10 000 000 without WeChat Pay). */
  subscribeSendDaily: number
  /** Private templates per app via `addtemplate` (25). */
  privateTemplates: number
  /** Template ids per `wx.requestSubscribeMessage` call (5 since base library 3.12.1; 3 before). */
  subscribeIdsPerCall: number
}

export const DEFAULT_LIMITS: Limits = {
  tokenDaily: 2_000,
  stableTokenPerMinute: 10_000,
  stableTokenDaily: 500_000,
  stableForceDaily: 20,
  stableForceSpacingMs: 30_000,
  loginPerUserPerMinute: 100,
  subscribeSendDaily: 10_000_000,
  privateTemplates: 25,
  subscribeIdsPerCall: 5,
}

export interface SimContext {
  world: World
  clock: Clock
  faults: Faults
  stats: Stats
  callbacks: CallbackPusher
  limits: Limits
  legacy2019: boolean
  /**
   * Whether a call answered from a kept choice ("always keep", no popup shown) pushes
   * subscribe_msg_popup_event. WeChat does not say (UNCONFIRMED); default true.
   */
  keptChoiceEvents: boolean
}
