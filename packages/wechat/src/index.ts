// @wxpush/wechat: the WeChat Mini Program server protocol. The only barrel of the package.

export {
  WECHAT_BASE_URL,
  WECHAT_PATHS,
  WECHAT_ERRMSGS,
  CONTENT_INVALID_ERRMSG,
  RETIRED_CHANNELS,
  type RetiredChannel,
  type WechatPath,
} from './facts.ts'

export { createWechatClient, type WechatClient, type WechatClientOptions } from './api/client.ts'
export type { WechatOk, WechatFail, WechatResult } from './api/result.ts'
export { WechatTransportError, type WechatTransportErrorKind } from './api/transport-error.ts'
export type { SubscribeSendBody } from './api/subscribe.api.ts'
export type { WechatTemplate } from './api/templates.api.ts'
export type {
  CustomerMessageBody,
  LegacyTemplateMessageBody,
  UniformMessageBody,
} from './api/customer.api.ts'
export {
  OFFICIAL_ACCOUNT_BATCH_MAX,
  type OfficialAccountFollowerInfo,
  type OfficialAccountTemplateBody,
} from './api/official-account.api.ts'

export {
  ERRCODES,
  SECRET_REFUSED_ERRCODES,
  TOKEN_ERRCODES,
  describeErrcode,
  type ErrcodeInfo,
  type ErrcodeKind,
} from './errcodes.ts'

export {
  keywordTypeOf,
  parseTemplateContent,
  withEnumValues,
  type KeywordSpec,
} from './content-rules/keyword-spec.ts'
export { validateKeywordValue, validateTemplateData } from './content-rules/validate.ts'
export { fitKeywordValue, fitTemplateData, type FitChange, type FitResult } from './content-rules/fit.ts'
export type { ContentViolation, ViolationRule } from './content-rules/violations.ts'
export { KNOWN_TYPES, MAX_LENGTH, UNKNOWN_TYPE_MAX_LENGTH } from './content-rules/type-rules.ts'

export {
  CLOSED_WINDOW,
  CUSTOMER_SERVICE_ALLOWANCE,
  customerServiceWindowState,
  openCustomerServiceWindow,
  type CustomerServiceAction,
  type CustomerServiceWindow,
} from './customer-service/window.ts'

export { parseJsonLossless } from './lossless-json.ts'

export { urlSignature, msgSignature, verifySignature } from './callbacks/signature.ts'
export {
  encryptMessage,
  decryptMessage,
  CallbackCryptoError,
  type CallbackCryptoErrorCode,
} from './callbacks/crypto.ts'
export {
  parseCallbackBody,
  CallbackParseError,
  MAX_CALLBACK_BODY_BYTES,
  type CallbackParseErrorCode,
} from './callbacks/body.ts'
export { toCallbackEvent, type CallbackEvent } from './callbacks/events.ts'
