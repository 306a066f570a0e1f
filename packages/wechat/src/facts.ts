// Facts about WeChat's server API that both the client and the simulator may share: paths and the
// errmsg texts WeChat answers. No logic under test lives here (no validators, no crypto), so that the
// simulator can import this file and still fail a test when our protocol code is wrong.
// Sources: docs/wechat.md (each fact there carries its source).

export const WECHAT_BASE_URL = 'https://api.weixin.qq.com'

export const WECHAT_PATHS = {
  token: '/cgi-bin/token',
  stableToken: '/cgi-bin/stable_token',
  jscode2session: '/sns/jscode2session',
  subscribeSend: '/cgi-bin/message/subscribe/send',
  templateCategory: '/wxaapi/newtmpl/getcategory',
  pubTemplateTitles: '/wxaapi/newtmpl/getpubtemplatetitles',
  pubTemplateKeywords: '/wxaapi/newtmpl/getpubtemplatekeywords',
  addTemplate: '/wxaapi/newtmpl/addtemplate',
  deleteTemplate: '/wxaapi/newtmpl/deltemplate',
  getTemplates: '/wxaapi/newtmpl/gettemplate',
  customSend: '/cgi-bin/message/custom/send',
  customTyping: '/cgi-bin/message/custom/typing',
  mediaUpload: '/cgi-bin/media/upload',
  mediaGet: '/cgi-bin/media/get',
  legacyTemplateSend: '/cgi-bin/message/wxopen/template/send',
  uniformSend: '/cgi-bin/message/wxopen/template/uniform_send',
  /** Official accounts: the template message, the follower list and the followers' details. */
  officialAccountTemplateSend: '/cgi-bin/message/template/send',
  officialAccountFollowers: '/cgi-bin/user/get',
  officialAccountUserInfoBatch: '/cgi-bin/user/info/batchget',
} as const

export type WechatPath = (typeof WECHAT_PATHS)[keyof typeof WECHAT_PATHS]

/**
 * errmsg texts as WeChat answers them, without the trailing ` rid: …` (or older ` hint: […]`). Clients must never
 * compare whole errmsg strings; these exist so the simulator can answer what WeChat answers.
 * Source: docs/wechat.md §0.1, §1–3, §7–9. Codes whose text is unconfirmed are absent.
 */
export const WECHAT_ERRMSGS: Readonly<Record<number, string>> = {
  0: 'ok',
  [-1]: 'system error',
  40001:
    'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40066: 'invalid url',
  40101: 'missing parameter',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41028: 'invalid form id',
  41030: 'invalid page',
  42001: 'access_token expired',
  43002: 'require POST method',
  43004: 'require subscribe',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit must slower retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45103: 'This API has been unsupported',
  47001: 'data format error',
  48001: 'api unauthorized',
  48004: 'api forbidden for irregularities',
  48006: 'forbid to clear quota because of reaching the limit',
  76021: 'cgi_path not found, please check',
  76022: 'could not use this cgi_path, no permission',
}

/**
 * The 47003 errmsg shapes seen in the wild for a data key (`argument invalid! data.thing1.value …`). Only the
 * first bad field is named.
 */
export const CONTENT_INVALID_ERRMSG = {
  empty: (key: string) => `argument invalid! data.${key}.value is emtpy`,
  invalid: (key: string) => `argument invalid! data.${key}.value invalid`,
} as const

/**
 * The mini program's retired push channels: when WeChat switched them off, what their endpoint answers
 * today, and what replaced them. Sources:
 * - template messages: «小程序模板消息能力调整通知» (2019-10-12): the API goes offline on 2020-01-10;
 *   calls answered `48001 api unauthorized` afterwards
 *   (https://developers.weixin.qq.com/community/develop/doc/0008c8794d00a0ede5ea47c9b56400).
 * - uniform messages: «小程序与公众号下发统一消息接口调整通知» (2023-08-22): from 2023-09-20 the API answers
 *   45109 and sends neither half (https://developers.weixin.qq.com/community/develop/doc/000a0862b245e0ee91500aa7766000).
 */
export const RETIRED_CHANNELS = {
  template: {
    path: WECHAT_PATHS.legacyTemplateSend,
    retiredOn: '2020-01-10',
    wechatErrcode: 48001,
    successor: 'subscribe',
  },
  uniform: {
    path: WECHAT_PATHS.uniformSend,
    retiredOn: '2023-09-20',
    wechatErrcode: 45109,
    successor: 'official_account',
  },
} as const

export type RetiredChannel = keyof typeof RETIRED_CHANNELS
