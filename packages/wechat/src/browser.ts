// The browser-safe part of @wxpush/wechat (no Node modules): the content rules and the errcode
// catalogue, so the console checks keyword values with the very rules the server runs.

export {
  keywordTypeOf,
  parseTemplateContent,
  withEnumValues,
  type KeywordSpec,
} from './content-rules/keyword-spec.ts'
export { validateKeywordValue, validateTemplateData } from './content-rules/validate.ts'
export { fitKeywordValue, fitTemplateData, type FitChange, type FitResult } from './content-rules/fit.ts'
export { typeText, type ContentViolation, type ViolationRule } from './content-rules/violations.ts'
export { KNOWN_TYPES, MAX_LENGTH, UNKNOWN_TYPE_MAX_LENGTH } from './content-rules/type-rules.ts'
export { ERRCODES, describeErrcode, type ErrcodeInfo, type ErrcodeKind } from './errcodes.ts'
