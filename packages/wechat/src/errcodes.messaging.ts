// Errcode rows: subscription send, template management, customer service, the retired template and uniform
// messages, and the quota tools. Row layout as in errcodes.platform.ts.
// Sources: docs/wechat.md §3, §5, §7, §8, §9 and README.md "Confirmed facts".

import { WECHAT_PATHS as P } from './facts.ts'
import type { ErrcodeRow } from './errcodes.ts'

const NEWTMPL = [P.pubTemplateTitles, P.pubTemplateKeywords, P.addTemplate, P.deleteTemplate, P.getTemplates]
const LEGACY = [P.legacyTemplateSend, P.uniformSend]
const QUOTA_API = '/cgi-bin/openapi/quota/get'
const RID_API = '/cgi-bin/openapi/rid/get'
const CLEAR_QUOTA = '/cgi-bin/clear_quota'

export const MESSAGING_ERRCODE_ROWS: readonly ErrcodeRow[] = [
  // --- subscription send (§3) ---
  [
    40037,
    'permanent',
    'template_invalid',
    [P.subscribeSend, ...LEGACY],
    'template_id 错误、已删除或不属于本小程序：重新同步模板',
    'template_id wrong, deleted or of another app: sync the templates again',
  ],
  [
    43101,
    'user_refused',
    'user_refused',
    [P.subscribeSend],
    '用户拒绝接收、已取消订阅，或一次性订阅次数已用完',
    'The user refused, unsubscribed, or has no one-time subscription credit left',
  ],
  [
    47003,
    'permanent',
    'content_invalid',
    [P.subscribeSend],
    '模板参数不符合规则或缺失（errmsg 指出第一个出错字段）：按关键词类型检查每个值',
    'A template value is missing or breaks its rule (errmsg names the first bad field): check every value against its keyword type',
  ],
  [
    41030,
    'permanent',
    'page_invalid',
    [P.subscribeSend, P.legacyTemplateSend],
    'page 路径不正确：必须是已发布版本中存在的页面，不带开头的 /',
    'Invalid page: it must exist in the released version, without a leading /',
  ],
  // --- template management (§5) ---
  [
    200011,
    'permanent',
    'account_banned',
    NEWTMPL,
    '此账号已被封禁，无法操作',
    'This account is banned and cannot be operated',
  ],
  [
    200012,
    'permanent',
    'template_limit_reached',
    [P.addTemplate],
    '个人模板数已达上限（25 个）：先删除不用的模板',
    'Private template limit reached (25): delete unused templates first',
  ],
  [
    200013,
    'permanent',
    'template_banned',
    [P.addTemplate],
    '此模板已被封禁，无法选用',
    'This template is banned and cannot be used',
  ],
  [
    200014,
    'permanent',
    'bad_request',
    [P.addTemplate, P.pubTemplateKeywords],
    '模板 tid 参数错误',
    'Invalid template tid',
  ],
  [200016, 'permanent', 'bad_request', [P.pubTemplateTitles], 'start 参数错误', 'Invalid start parameter'],
  [
    200017,
    'permanent',
    'bad_request',
    [P.pubTemplateTitles],
    'limit 参数错误（不超过 30）',
    'Invalid limit parameter (at most 30)',
  ],
  [200018, 'permanent', 'bad_request', [P.pubTemplateTitles], '类目 ids 缺失', 'Category ids missing'],
  [
    200019,
    'permanent',
    'bad_request',
    [P.pubTemplateTitles],
    '类目 ids 不合法（用逗号连接、不加引号）',
    'Invalid category ids (join with commas, no quotes)',
  ],
  [
    200020,
    'permanent',
    'bad_request',
    [P.addTemplate],
    '关键词列表 kidList 参数错误（2–5 个）',
    'Invalid kidList (2 to 5 keywords)',
  ],
  [
    200021,
    'permanent',
    'bad_request',
    [P.addTemplate],
    '场景描述 sceneDesc 参数错误（不超过 15 个字）',
    'Invalid sceneDesc (at most 15 characters)',
  ],
  // --- official-account template messages (the linked account's route) ---
  [
    43004,
    'permanent',
    'not_following',
    [P.officialAccountTemplateSend],
    '用户未关注该公众号（或已取消关注），公众号模板消息无法送达',
    'The user does not follow the official account (or unfollowed it): its template message cannot reach them',
  ],
  // --- customer service (§7) ---
  [
    45015,
    'permanent',
    'session_window_closed',
    [P.customSend],
    '超出客服消息可回复时间（用户消息后 48 小时 / 进入会话后 1 分钟）',
    'Outside the customer-service window (48 h after a user message, 1 min after entering the session)',
  ],
  [
    45047,
    'permanent',
    'session_window_exhausted',
    [P.customSend],
    '客服消息下行条数超过上限（5 条 / 48 小时，或 2 条 / 1 分钟）',
    'Too many customer-service messages in the window (5 per 48 h, or 2 per 1 min)',
  ],
  [
    40101,
    'permanent',
    'bad_request',
    ['/cgi-bin/message/custom/business/send'],
    '缺少参数（business/send 需要 businessid）：改用 /cgi-bin/message/custom/send',
    'Missing parameter (business/send needs businessid): use /cgi-bin/message/custom/send',
  ],
  [
    45072,
    'permanent',
    'bad_request',
    [P.customTyping],
    'command 参数错误（Typing 或 CancelTyping）',
    'Invalid command (Typing or CancelTyping)',
  ],
  [
    45080,
    'permanent',
    'session_window_closed',
    [P.customTyping],
    '30 秒内没有与用户交互，不能下发输入状态',
    'No exchange with the user in the last 30 s: typing not allowed',
  ],
  [
    45081,
    'permanent',
    'already_typing',
    [P.customTyping],
    '已经在输入状态，不可重复下发',
    'Already typing: cannot send it again',
  ],
  [
    40004,
    'permanent',
    'bad_request',
    ['/cgi-bin/media/upload'],
    '媒体文件类型不合法（小程序只支持图片）',
    'Invalid media type (mini programs accept images only)',
  ],
  [
    40007,
    'permanent',
    'bad_request',
    ['/cgi-bin/media/get', P.customSend],
    'media_id 无效（临时素材有效期 3 天）',
    'Invalid media_id (temporary media lasts 3 days)',
  ],
  // --- retired template and uniform messages (§8) ---
  [
    41028,
    'permanent',
    'form_id_invalid',
    [P.legacyTemplateSend],
    'form_id 不正确或已过期（7 天）',
    'form_id wrong or expired (7 days)',
  ],
  [41029, 'permanent', 'form_id_used', [P.legacyTemplateSend], 'form_id 已被使用', 'form_id already used'],
  [
    45103,
    'permanent',
    'api_retired',
    [P.uniformSend],
    '该接口已不再支持（小程序模板消息已下线）：改用订阅消息',
    'This API is no longer supported (mini-program template messages are retired): use subscription messages',
  ],
  [
    45109,
    'permanent',
    'api_retired',
    [P.uniformSend],
    '统一服务消息接口已于 2023-09-20 停用：改用订阅消息或公众号模板消息',
    'The uniform message API was retired on 2023-09-20: use subscription or official-account template messages',
  ],
  // --- quota and rid tools (§9) ---
  [
    48006,
    'quota',
    'clear_quota_limited',
    [CLEAR_QUOTA],
    '本月 clear_quota 次数已用完（每月 10 次）',
    'No clear_quota left this month (10 per month)',
  ],
  [76001, 'permanent', 'rid_not_found', [RID_API], 'rid 不存在', 'rid not found'],
  [76002, 'permanent', 'bad_request', [RID_API], 'rid 格式错误', 'Malformed rid'],
  [
    76003,
    'permanent',
    'bad_request',
    [RID_API, QUOTA_API],
    '不是本账号的 rid，或 cgi_path 格式错误（需以 / 开头）',
    'rid of another account, or a malformed cgi_path (must start with /)',
  ],
  [76004, 'permanent', 'rid_expired', [RID_API], 'rid 已过期（7 天）', 'rid expired (7 days)'],
  [76021, 'permanent', 'bad_request', [QUOTA_API], 'cgi_path 不存在', 'cgi_path not found'],
  [
    76022,
    'permanent',
    'bad_request',
    [QUOTA_API],
    '无权查询该 cgi_path（不支持 /sns/ 路径）',
    'No permission for this cgi_path (/sns/ paths are not supported)',
  ],
]
