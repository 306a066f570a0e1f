import { defineError } from '../errors.ts'

export const campaignNotFound = defineError({
  code: 'campaigns.not_found',
  status: 404,
  zh: '没有这个群发活动',
  en: 'No such campaign',
})
export const audienceEmpty = defineError({
  code: 'campaigns.audience_empty',
  status: 422,
  zh: '受众为空：没有任何收件人（details.audience）；活动未创建或未启动',
  en: 'The audience is empty: no recipient at all (details.audience); the campaign was not created or started',
})
export const tagUnknown = defineError({
  code: 'campaigns.tag_unknown',
  status: 422,
  zh: '没有任何用户带有这个标签（details.tag）；先用 PUT /v1/users/:id/tags 打标签',
  en: 'No user carries this tag (details.tag); tag users first with PUT /v1/users/:id/tags',
})
export const stateConflict = defineError({
  code: 'campaigns.state_conflict',
  status: 409,
  zh: '活动当前状态不允许此操作（details.status 与 details.action）',
  en: 'The campaign’s status does not allow this action (details.status, details.action)',
})
export const notUploadable = defineError({
  code: 'campaigns.not_uploadable',
  status: 409,
  zh: '只能向受众为 {upload: true} 且尚未启动（draft）的活动上传收件人',
  en: 'Recipients can only be uploaded to a draft campaign whose audience is {upload: true}',
})
export const uploadTooManyLines = defineError({
  code: 'campaigns.upload_too_many_lines',
  status: 413,
  zh: '收件人超过上限 1 000 000 行（details.line 为第一条超出的行）；本次上传的内容均未保存',
  en: 'More than 1 000 000 recipient lines (details.line is the first one over); nothing of this upload was kept',
})
export const uploadMalformed = defineError({
  code: 'campaigns.upload_malformed',
  status: 422,
  zh: 'CSV 格式错误：引号未闭合（details.line 为该记录开始的行）；本次上传的内容均未保存',
  en: 'Malformed CSV: a quote is never closed (details.line is where the record starts); nothing of this upload was kept',
})
export const uploadColumnsInvalid = defineError({
  code: 'campaigns.upload_columns_invalid',
  status: 422,
  zh: 'CSV 表头不合法：需要 openid 或 userId 列（只能其一），其余列须是模板的关键词（见 details）；本次上传的内容均未保存',
  en: 'Invalid CSV header: it needs an openid or a userId column (one of them), and every other column must be a keyword of the template (see details); nothing of this upload was kept',
})
export const uploadNotUtf8 = defineError({
  code: 'campaigns.upload_not_utf8',
  status: 422,
  zh: '上传内容不是 UTF-8 编码（details.line 附近）；请另存为 UTF-8 后重试，本次上传的内容均未保存',
  en: 'The upload is not UTF-8 (near details.line); save it as UTF-8 and retry. Nothing of this upload was kept',
})
/** Not an HTTP answer of its own: the error of one refused line in an upload's `rejected` list. */
export const lineInvalid = defineError({
  code: 'campaigns.line_invalid',
  status: 422,
  zh: '这一行无法读取（details.reason：recipient_missing 缺少 openid/userId，column_count 列数不对，quote_in_field 字段中有多余引号，not_json 不是 JSON 对象）；已跳过',
  en: 'This line cannot be read (details.reason: recipient_missing, column_count, quote_in_field, not_json); it was skipped',
})
export const uploadContentType = defineError({
  code: 'campaigns.upload_content_type',
  status: 415,
  zh: '收件人上传须为 text/csv 或 application/x-ndjson',
  en: 'Recipient uploads must be text/csv or application/x-ndjson',
})
