// The simulator's in-memory state: apps, their users, templates, tokens, login codes and each
// user's phone inbox. Everything on the send path is a Map lookup (appid, openid, template id,
// token), so one send costs O(1) whatever the number of apps, users or messages.
import { randomBytes } from 'node:crypto'
import type { Clock } from './clock.ts'

export type TemplateType = 2 | 3
export type CallbackMode = 'plain' | 'compatible' | 'secure'
export type CallbackFormat = 'json' | 'xml'

export interface CallbackConfig {
  url: string
  token: string
  encodingAesKey?: string
  mode: CallbackMode
  format: CallbackFormat
}

export interface Keyword {
  /** The placeholder without `.DATA`: `thing1`, `character_string13`. */
  key: string
  name: string
  /** The type prefix of the key: `thing`, `character_string`, … */
  rule: string
  enumValues?: string[]
  example?: string
}

export interface Template {
  priTmplId: string
  appid: string
  title: string
  type: TemplateType
  keywords: Keyword[]
  tid?: number
  sceneDesc?: string
  deleted: boolean
}

export type ConsentStatus = 'accept' | 'reject' | 'ban'
export interface Consent {
  status: ConsentStatus
  /** One-time templates: sends left. Long-term templates: unused (always 0). */
  credits: number
  updatedAt: number
}

export interface InboxItem {
  msgid: string
  templateId: string
  title: string
  page: string | undefined
  data: Record<string, { value: string }>
  miniprogramState: string
  lang: string
  receivedAt: number
  /**
   * `subscribe` for subscription messages, `template` for 2019 template messages, `official_account`
   * for an official account's template message (in its follower's inbox).
   */
  kind: 'subscribe' | 'template' | 'official_account'
  /** Official-account template messages: the link and the mini-program page they open. */
  url?: string | undefined
  miniprogram?: { appid: string; pagepath?: string | undefined } | undefined
}

export interface CustomerServiceMessage {
  msgtype: string
  body: unknown
  receivedAt: number
  /** `service`: sent through /custom/send; `user`: the user wrote it (control API). */
  from: 'service' | 'user'
}

/** A temporary media file (§7.3): uploaded by the app, or an image the user sent. */
export interface Media {
  mediaId: string
  appid: string
  contentType: string
  bytes: Buffer
  createdAt: number
}

export interface FormId {
  formId: string
  appid: string
  openid: string
  kind: 'form' | 'prepay'
  left: number
  expiresAt: number
}

export interface User {
  openid: string
  unionid: string
  appid: string
  sessionKey: string
  highRisk: boolean
  consents: Map<string, Consent>
  inbox: InboxItem[]
  customerService: CustomerServiceMessage[]
  /** Customer-service window: messages left and until when (ms). */
  csLeft: number
  csDeadline: number
  /** The last message either way (typing needs one within 30 s). */
  lastExchangeAt: number
  /** "Typing…" shows until then (15 s). */
  typingUntil: number
  /** An official account's follower: follows it now (false after unfollowing; the openid stays). */
  following: boolean
  /** `subscribe_msg_sent_event` reports failure while set (and the message does not reach the inbox). */
  deliveryFailure: { errorCode: number; errorStatus: string; count: number | undefined } | undefined
  loginMinute: number
  loginsThisMinute: number
  /**
   * What wx.getSetting({withSubscriptions: true}) shows: the main switch, and the templates the user
   * ticked "总是保持以上选择，不再询问" for, with the answer kept (later calls show no popup and return it).
   */
  subscriptions: { mainSwitch: boolean; itemSettings: Map<string, string> }
}

export interface TokenRecord {
  token: string
  appid: string
  kind: 'classic' | 'stable'
  issuedAt: number
  expiresAt: number
  /** Set when a newer token replaced this one: it stays valid until then ("not latest" after). */
  graceUntil: number | undefined
  invalidated: boolean
}

export interface LoginCode {
  code: string
  appid: string
  openid: string
  expiresAt: number
  used: boolean
}

export interface App {
  appid: string
  secret: string
  name: string
  originalId: string
  /** When set, `page` must be one of these (path without query); when not, any page is accepted. */
  pages: Set<string> | undefined
  callback: CallbackConfig | undefined
  withUnionid: boolean
  /** An official account (its users are its followers) instead of a mini program. */
  officialAccount: boolean
  users: Map<string, User>
  templates: Map<string, Template>
  classic: TokenRecord | undefined
  stable: TokenRecord | undefined
  counters: Map<string, { window: number; n: number }>
  lastForceRefreshAt: number | undefined
}

export const TOKEN_TTL_MS = 7_200_000
export const TOKEN_GRACE_MS = 300_000
export const CODE_TTL_MS = 300_000

export class World {
  readonly apps = new Map<string, App>()
  readonly tokens = new Map<string, TokenRecord>()
  readonly codes = new Map<string, LoginCode>()
  readonly formIds = new Map<string, FormId>()
  readonly media = new Map<string, Media>()
  private msgCounter = 0
  private tokenCounter = 0

  constructor(readonly clock: Clock) {}

  createApp(input: {
    appid?: string
    secret?: string
    name?: string
    pages?: string[]
    callback?: CallbackConfig
    unionid?: boolean
    officialAccount?: boolean
  }): App {
    const appid = input.appid ?? `wx${randomBytes(8).toString('hex')}`
    const app: App = {
      appid,
      secret: input.secret ?? randomBytes(16).toString('hex'),
      name: input.name ?? '示例小程序',
      originalId: `gh_${randomBytes(6).toString('hex')}`,
      pages: input.pages ? new Set(input.pages) : undefined,
      callback: input.callback,
      withUnionid: input.unionid ?? true,
      officialAccount: input.officialAccount ?? false,
      users: new Map(),
      templates: new Map(),
      classic: undefined,
      stable: undefined,
      counters: new Map(),
      lastForceRefreshAt: undefined,
    }
    this.apps.set(appid, app)
    return app
  }

  createUser(app: App, input: { openid?: string; unionid?: string; highRisk?: boolean } = {}): User {
    const user: User = {
      openid: input.openid ?? `o${randomBytes(21).toString('base64url').slice(0, 27)}`,
      unionid: input.unionid ?? `oU${randomBytes(20).toString('base64url').slice(0, 26)}`,
      appid: app.appid,
      sessionKey: randomBytes(16).toString('base64'),
      highRisk: input.highRisk ?? false,
      consents: new Map(),
      inbox: [],
      customerService: [],
      csLeft: 0,
      csDeadline: 0,
      lastExchangeAt: 0,
      typingUntil: 0,
      following: true,
      deliveryFailure: undefined,
      loginMinute: -1,
      loginsThisMinute: 0,
      subscriptions: { mainSwitch: true, itemSettings: new Map() },
    }
    app.users.set(user.openid, user)
    return user
  }

  createTemplate(
    app: App,
    input: { title: string; type: TemplateType; keywords: Keyword[]; tid?: number; sceneDesc?: string },
  ): Template {
    const template: Template = {
      priTmplId: randomBytes(32).toString('base64url').slice(0, 43),
      appid: app.appid,
      title: input.title,
      type: input.type,
      keywords: input.keywords,
      tid: input.tid,
      sceneDesc: input.sceneDesc,
      deleted: false,
    }
    app.templates.set(template.priTmplId, template)
    return template
  }

  mintToken(app: App, kind: 'classic' | 'stable'): TokenRecord {
    this.tokenCounter++
    const now = this.clock.now()
    const record: TokenRecord = {
      token: `93_${randomBytes(96).toString('base64url')}`,
      appid: app.appid,
      kind,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
      graceUntil: undefined,
      invalidated: false,
    }
    this.tokens.set(record.token, record)
    return record
  }

  mintCode(app: App, user: User): LoginCode {
    const code: LoginCode = {
      code: randomBytes(24).toString('base64url').slice(0, 32),
      appid: app.appid,
      openid: user.openid,
      expiresAt: this.clock.now() + CODE_TTL_MS,
      used: false,
    }
    this.codes.set(code.code, code)
    return code
  }

  /** A 64-bit id above 2^53 (3 000 000 000 000 000 000 + n), as a decimal string. */
  nextMsgid(): string {
    this.msgCounter++
    return `3${String(this.msgCounter).padStart(18, '0')}`
  }

  /** Counts one call in a window (a Beijing day, a minute…) and says whether it is within `limit`. */
  count(app: App, name: string, window: number, limit: number): boolean {
    let c = app.counters.get(name)
    if (!c || c.window !== window) {
      c = { window, n: 0 }
      app.counters.set(name, c)
    }
    c.n++
    return c.n <= limit
  }

  invalidateTokens(app: App): number {
    let n = 0
    for (const record of this.tokens.values()) {
      if (record.appid === app.appid && !record.invalidated) {
        record.invalidated = true
        n++
      }
    }
    app.classic = undefined
    app.stable = undefined
    return n
  }
}
