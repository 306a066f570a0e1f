// Every setting, in one TypeBox schema: name, doc (description), default and format.
// loadConfig() runs once, in the composition root; nothing else reads process.env.
// docs/config.md is generated from this schema (npm run docs) and checked by a test.
import { Type, type Static } from 'typebox'
import Value from 'typebox/value'

const Port = (description: string, dflt: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: dflt, description })

export const ConfigSchema = Type.Object({
  WXPUSH_MODE: Type.Union([Type.Literal('production'), Type.Literal('dev')], {
    default: 'production',
    description:
      '运行模式：production 要求 WXPUSH_MASTER_KEY；dev 在数据目录生成一个。/ production requires WXPUSH_MASTER_KEY; dev generates one into the data folder.',
  }),
  WXPUSH_PORT: Port('API 监听端口 / port the HTTP API listens on', 3000),
  WXPUSH_HOST: Type.String({
    default: '127.0.0.1',
    description: 'API 监听地址 / address the HTTP API binds',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'Postgres 连接串；不设则使用内嵌 PGlite / Postgres URL; unset = embedded PGlite in WXPUSH_DATA_DIR',
    }),
  ),
  WXPUSH_DATA_DIR: Type.String({
    default: './.wxpush',
    description: '内嵌数据库与开发文件目录 / folder for the embedded database and dev files',
  }),
  WXPUSH_DB_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 10,
    description: 'Postgres 连接池大小 / pool size',
  }),
  WXPUSH_MASTER_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9+/]{43}=$',
      description:
        '加密应用密钥等机密的主密钥（32 字节 base64）/ master key encrypting app secrets at rest: 32 bytes, base64 (`openssl rand -base64 32`)',
    }),
  ),
  WXPUSH_WECHAT_BASE_URL: Type.String({
    default: 'https://api.weixin.qq.com',
    pattern: '^https?://',
    description: '微信接口地址（测试时指向模拟器）/ WeChat API base URL (point it at the simulator in tests)',
  }),
  WXPUSH_WECHAT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: '调用微信接口的超时（毫秒）/ timeout of one WeChat call, ms',
  }),
  WXPUSH_LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: '日志级别 / log level' },
  ),
  WXPUSH_ROLE: Type.Union([Type.Literal('all'), Type.Literal('api'), Type.Literal('worker')], {
    default: 'all',
    description: '进程角色：all = API + 发送进程 / what this process runs: api, worker, or both',
  }),
  WXPUSH_DISPATCH_BATCH: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: '每次领取的消息条数 / messages claimed per batch',
  }),
  WXPUSH_DISPATCH_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 1024,
    default: 64,
    description: '每个进程同时发送的消息数 / sends in flight per process',
  }),
  WXPUSH_DISPATCH_POLL_MS: Type.Integer({
    minimum: 10,
    default: 500,
    description: '无新消息时的轮询间隔（毫秒）/ poll interval when idle, ms',
  }),
  WXPUSH_CAMPAIGN_CHUNK: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 5_000,
    description:
      '群发展开时每条语句处理的收件人数（一个事务）/ campaign fan-out: recipients per statement (one transaction each)',
  }),
  WXPUSH_LEASE_MS: Type.Integer({
    minimum: 1000,
    default: 60_000,
    description:
      '发送租约；进程崩溃后消息在此之后重回队列 / claim lease: a crashed worker’s messages return after it, ms',
  }),
  WXPUSH_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 8,
    description: '可重试错误的最大尝试次数 / attempts before failed: retries_exhausted',
  }),
  WXPUSH_RETRY_BASE_MS: Type.Integer({
    minimum: 10,
    default: 1_000,
    description:
      '重试退避的基数（毫秒）：第 n 次约等待 基数×2^(n-1)，±50% 抖动，最长 10 分钟 / retry backoff base, ms: attempt n waits about base×2^(n-1), ±50 % jitter, at most 10 minutes',
  }),
  WXPUSH_RETRY_UNCERTAIN: Type.Boolean({
    default: true,
    description:
      '请求已发出但未收到应答（超时、断开）时是否重试：true 可能重复送达，false 记为 outcome_unknown / retry a send whose outcome is unknown (may deliver twice); false records outcome_unknown',
  }),
  WXPUSH_DELIVERY_EVIDENCE_WAIT_MS: Type.Integer({
    minimum: 0,
    default: 120_000,
    description:
      "结果未知的发送（-1、写出后超时或断开、5xx）在应用已配置消息推送时，等待微信 subscribe_msg_sent_event 的时长（毫秒）：收到即记为已发送，超时未收到则重试；0 = 关闭（按 WXPUSH_RETRY_UNCERTAIN 处理）/ when the app receives callbacks, how long (ms) a send with an unknown outcome (-1, timeout or reset after writing, 5xx) waits for WeChat's subscribe_msg_sent_event: the event settles it as sent, no event in time retries it; 0 = off (WXPUSH_RETRY_UNCERTAIN applies)",
  }),
  WXPUSH_CREDENTIALS_RECHECK_MS: Type.Integer({
    minimum: 100,
    default: 30_000,
    description:
      '微信拒绝 AppSecret 后，等待中的消息每隔多久（毫秒）重新检查一次；不计入尝试次数，更换密钥前不会请求微信 / while WeChat refuses the AppSecret, how often (ms) a waiting message checks again; not counted as an attempt, and WeChat is not asked until the secret is rotated',
  }),
  WXPUSH_RATE_LIMIT_PER_S: Type.Number({
    minimum: 0,
    maximum: 1_000_000,
    default: 0,
    description:
      '每个应用默认每秒最多发送条数，所有进程共享；0 = 不限（微信只有每日配额），低于 0.01 按 0.01 计。可按应用单独设置 / default sends per second per app, shared by every process; 0 = unlimited (WeChat documents only a daily quota), below 0.01 counts as 0.01; settable per app',
  }),
  WXPUSH_WEBHOOK_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 5_000,
    description: '调用业务 webhook 的超时（毫秒）/ timeout of one webhook delivery, ms',
  }),
  WXPUSH_WEBHOOK_ALLOW_PRIVATE: Type.Optional(
    Type.Boolean({
      description:
        '允许 webhook 投递到本机、内网与链路本地地址（默认 production 关闭、dev 开启）；关闭时在设置和每次投递（DNS 解析之后）都会检查，防止借 webhook 访问内网（SSRF）/ allow webhooks to loopback, private and link-local addresses (default: off in production, on in dev mode, whose backend is local); when off, checked when the URL is set and on every delivery after DNS resolution (SSRF)',
    }),
  ),
  WXPUSH_WEBHOOK_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 50,
    default: 10,
    description: 'webhook 最多投递次数 / webhook delivery attempts before giving up',
  }),
  WXPUSH_TOKEN_MODE: Type.Union([Type.Literal('stable'), Type.Literal('classic')], {
    default: 'stable',
    description:
      '新建应用默认的 access_token 接口 / default token endpoint for new apps: stable_token or the classic token',
  }),
  WXPUSH_SESSION_TTL_S: Type.Integer({
    minimum: 60,
    default: 7 * 24 * 3600,
    description: '小程序登录会话有效期（秒）/ mini program session lifetime, s',
  }),
  WXPUSH_CONSENT_CONFIRM_WINDOW_S: Type.Integer({
    minimum: 0,
    maximum: 7 * 24 * 3600,
    default: 600,
    description:
      '应用接收微信的订阅弹窗事件时，小程序上报的同意在此时间内没有事件确认即不再计数（秒）；0 = 始终信任上报 / when the app receives WeChat’s popup events, a reported accept that no event confirms within this many seconds stops counting; 0 = always trust reports',
  }),
  WXPUSH_SUBSCRIBE_IDS_PER_CALL: Type.Union([Type.Literal(3), Type.Literal(5)], {
    default: 3,
    description:
      '一次 wx.requestSubscribeMessage 最多的模板数（旧基础库 3，3.12.1 起 5），一次上报超过即拒绝 / templates per wx.requestSubscribeMessage call (3 in older base libraries, 5 since 3.12.1); a report with more is refused',
  }),
  WXPUSH_SIMULATOR_PORT: Port(
    'dev 模式下内置微信模拟器的端口 / port of the in-process WeChat simulator in dev mode',
    3100,
  ),
  WXPUSH_ADMIN_KEY: Type.Optional(
    Type.String({
      pattern: '^[\\x21-\\x7e]{32,256}$',
      description:
        '整个服务的管理密钥（/v1/admin/*，至少 32 个可见字符）；不设则管理接口关闭，dev 模式在数据目录生成一个 / service-wide admin key for /v1/admin/* (32+ printable characters); unset = admin API off, dev mode generates one into the data folder',
    }),
  ),
  WXPUSH_EXPOSE_ACCESS_TOKEN: Type.Boolean({
    default: false,
    description:
      '开放 GET /v1/apps/:appId/access-token（需该应用 admin 范围的 API 密钥），供同团队其他后端共用 access_token / enable GET /v1/apps/:appId/access-token (behind the app’s admin-scope API key) for other backends that must share the token',
  }),
  WXPUSH_CHECK_RESPONSES: Type.Boolean({
    default: false,
    description:
      '测试与开发用：每个答复先按其声明的结构校验，不符则答 500 并记录日志 / for tests and development: check every answer against its declared schema before writing it; a mismatch answers 500 and is logged',
  }),
  WXPUSH_TRUST_PROXY: Type.String({
    default: 'false',
    pattern: '^(true|false|[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*)$',
    description:
      '是否信任反向代理的 X-Forwarded-For（登录限速按它看到的客户端地址计数）：false；true（信任所有）；或代理地址/网段列表，如 10.0.0.1,10.1.0.0/16 / whether to believe X-Forwarded-For from a reverse proxy (the login limit counts the client address it gives): false; true (any); or the proxies’ addresses/CIDRs, such as 10.0.0.1,10.1.0.0/16',
  }),
  WXPUSH_LOGIN_RATE_PER_MIN: Type.Integer({
    minimum: 1,
    default: 60,
    description: '每个客户端地址每分钟的登录次数上限 / logins per client address per minute',
  }),
  WXPUSH_CALLBACK_MAX_SKEW_S: Type.Integer({
    minimum: 0,
    default: 300,
    description:
      '消息推送 timestamp 与本机时间允许的最大偏差（秒），防重放；0 关闭检查。微信未规定此项：5 分钟容得下其 15 秒内的重试与常见时钟误差 / largest allowed difference between a push timestamp and this clock, s (replay protection; 0 turns it off). WeChat specifies none: 5 minutes covers its retries within 15 s and ordinary clock drift',
  }),
})

export type Config = Static<typeof ConfigSchema>

/** WXPUSH_TRUST_PROXY as Fastify's `trustProxy` option. */
export function trustProxyOption(value: string): boolean | string[] {
  if (value === 'true' || value === 'false') return value === 'true'
  return value.split(',')
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] }

/** Reads the environment once. Each bad variable gives one line naming it and its rule. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const known = Object.keys(ConfigSchema.properties)
  const picked: Record<string, unknown> = {}
  for (const name of known) {
    const raw = env[name]
    if (raw !== undefined && raw !== '') picked[name] = raw
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, picked))
  const props = ConfigSchema.properties as Record<
    string,
    { description?: string; anyOf?: { const?: unknown }[] }
  >
  const badNames = new Map<string, string>()
  for (const e of Value.Errors(ConfigSchema, withDefaults)) {
    const name = e.instancePath.replace(/^\//, '')
    if (badNames.has(name)) continue // a union reports each branch; one line per variable
    const choices = props[name]?.anyOf?.map((b) => b.const)
    badNames.set(name, choices ? `must be one of ${choices.join(', ')}` : e.message)
  }
  const errors = [...badNames].map(([name, rule]) => {
    const shown = /KEY|URL|SECRET/.test(name) ? '<hidden>' : JSON.stringify(env[name])
    return `${name}=${shown}: ${rule} — ${props[name]?.description ?? ''}`
  })
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, config: withDefaults as Config }
}
