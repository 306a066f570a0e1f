// Facts about WeChat's server API that both the client and the simulator may share: paths and the
// errmsg texts WeChat answers. No logic under test lives here (no validators, no crypto), so that the
// simulator can import this file and still fail a test when our protocol code is wrong.
// Sources: ../../../shared/docs/WECHAT-REFERENCE.md (each fact there carries its source).

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
  legacyTemplateSend: '/cgi-bin/message/wxopen/template/send',
  uniformSend: '/cgi-bin/message/wxopen/template/uniform_send',
} as const

export type WechatPath = (typeof WECHAT_PATHS)[keyof typeof WECHAT_PATHS]
