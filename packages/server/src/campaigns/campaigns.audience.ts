// Creating a campaign (template and data checked once, the audience expanded in SQL in the same
// transaction: nothing half-created) and streaming an upload of recipients into a draft campaign.
import { CREDITS_LEFT, LONG_TERM_ON } from '../consents/consents.credits.ts'
import type { Readable } from 'node:stream'
import { fitTemplateData, validateTemplateData } from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import type { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import { contentInvalid, sendAtInvalid } from '../messages/messages.errors.ts'
import type { TemplateRegistry } from '../templates/templates.registry.ts'
import type { TemplateRow } from '../templates/templates.store.ts'
import { tagInvalid } from '../users/users.errors.ts'
import { TAG_PATTERN } from '../users/users.tags.store.ts'
import {
  audienceEmpty,
  campaignNotFound,
  lineInvalid,
  notUploadable,
  tagUnknown,
  uploadColumnsInvalid,
  uploadMalformed,
  uploadNotUtf8,
  uploadTooManyLines,
} from './campaigns.errors.ts'
import { UPLOAD_LINES_MAX, type CreateCampaignBody } from './campaigns.schemas.ts'
import type { CampaignsStore, StagedAudience } from './campaigns.store.ts'
import {
  createCsvReader,
  createNdjsonReader,
  createUtf8Decoder,
  UploadUnreadable,
  type UploadRecord,
} from './campaigns.upload.ts'

const UNIQUE_VIOLATION = '23505'
/** Uploaded recipients are written this many per statement. */
const UPLOAD_CHUNK = 5_000
/** The answer lists this many refused lines at most (the count is always complete). */
const REJECTED_LISTED_MAX = 1_000

type Values = Record<string, string>
type Check = { ok: true; values: Values } | { ok: false; violations: unknown[] }

function checkData(
  template: TemplateRow,
  data: Record<string, unknown>,
  fit: boolean,
  partial: boolean,
): Check {
  // An upload campaign may leave keywords to the lines: check only what it gives.
  const keywords = partial ? template.keywords.filter((k) => k.key in data) : template.keywords
  return fit ? fitTemplateData(keywords, data) : validateTemplateData(keywords, data)
}

export interface LineError {
  line: number
  error: { code: string; message: string; details: Record<string, unknown> }
}

export function createAudience(deps: {
  db: Db
  store: CampaignsStore
  templates: TemplateRegistry
  onCreated?: () => void
}) {
  const { db, store } = deps

  async function create(appId: string, b: CreateCampaignBody) {
    if (b.idempotencyKey) {
      const seen = await store.findByIdempotencyKey(db, appId, b.idempotencyKey)
      if (seen) return { id: seen.id, status: seen.status, duplicate: true }
    }
    const template = await deps.templates.resolve(appId, b.template)
    const upload = 'upload' in b.audience
    const checked = checkData(template, b.data, b.fit === true, upload)
    if (!checked.ok) throw contentInvalid({ template: template.id, violations: checked.violations })

    let sendAt: Date | null = null
    if (b.sendAt !== undefined) {
      sendAt = new Date(b.sendAt)
      if (Number.isNaN(sendAt.getTime())) throw sendAtInvalid({ sendAt: b.sendAt })
      if (sendAt.getTime() <= Date.now()) sendAt = null
    }
    let staged: StagedAudience | null = null
    const a = b.audience
    if ('consented' in a) staged = { kind: 'consented' }
    else if ('tag' in a) {
      if (!TAG_PATTERN.test(a.tag)) throw tagInvalid({ field: 'body.audience.tag', tag: a.tag })
      staged = { kind: 'tag', tag: a.tag }
    } else if ('userIds' in a) staged = { kind: 'userIds', ids: a.userIds }
    else if ('openids' in a) staged = { kind: 'openids', ids: a.openids }

    const status = upload ? 'draft' : sendAt ? 'scheduled' : 'running'
    const id = newId('cmp')
    try {
      await db.transaction().execute(async (trx) => {
        await store.insert(trx, {
          id,
          appId,
          name: b.name,
          templateId: template.id,
          templateKind: template.kind,
          data: checked.values,
          audience:
            staged?.kind === 'tag' ? { kind: 'tag', tag: staged.tag } : { kind: staged?.kind ?? 'upload' },
          page: b.page ?? null,
          miniprogramState: b.miniprogramState ?? null,
          lang: b.lang ?? null,
          fit: b.fit === true,
          ratePerS: b.ratePerSecond ?? null,
          status,
          idempotencyKey: b.idempotencyKey ?? null,
          sendAt,
        })
        if (!staged) return
        const n = await store.stage(trx, {
          campaignId: id,
          appId,
          templateId: template.id,
          templateKind: template.kind,
          audience: staged,
          consent: { creditsLeft: CREDITS_LEFT, longTermOn: LONG_TERM_ON },
        })
        if (n === 0)
          throw staged.kind === 'tag'
            ? tagUnknown({ tag: staged.tag })
            : audienceEmpty({ audience: staged.kind })
      })
    } catch (err) {
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION && b.idempotencyKey) {
        const seen = await store.findByIdempotencyKey(db, appId, b.idempotencyKey)
        if (seen) return { id: seen.id, status: seen.status, duplicate: true }
      }
      throw err
    }
    deps.onCreated?.()
    return { id, status, duplicate: false }
  }

  /**
   * Streams an upload into a draft campaign in ONE transaction: the lines that read well are staged
   * in chunks of UPLOAD_CHUNK, the others are answered with their line number and counted as
   * skipped: invalid. An unreadable upload (not UTF-8, an unbalanced quote, a bad header, more than
   * UPLOAD_LINES_MAX lines) rolls back whole.
   */
  async function upload(p: {
    appId: string
    id: string
    format: 'csv' | 'ndjson'
    body: Readable
    english: boolean
  }): Promise<{ accepted: number; rejected: LineError[]; rejectedCount: number }> {
    // The template first, outside the transaction: on PGlite (one connection) a lookup inside it
    // would wait for the transaction that waits for it.
    const found = await store.find(db, p.appId, p.id)
    if (!found) throw campaignNotFound({ id: p.id })
    const template = await deps.templates.resolve(p.appId, found.template_id)
    return db.transaction().execute(async (trx) => {
      const c = await store.lockForUpload(trx, { appId: p.appId, id: p.id })
      if (!c) throw campaignNotFound({ id: p.id })
      if (c.audience.kind !== 'upload' || c.status !== 'draft')
        throw notUploadable({ id: p.id, status: c.status, audience: c.audience.kind })
      const campaign = await store.find(trx, p.appId, p.id)
      const keys = new Set(template.keywords.map((k) => k.key))

      const base = Number(c.next_seq)
      let records = c.recipients
      let accepted = 0
      let rejectedCount = 0
      let lastLine = 0
      const rejected: LineError[] = []
      let pending: Parameters<CampaignsStore['appendRecipients']>[1]['rows'] = []
      let header: { idColumn: 'openid' | 'userId'; idIndex: number; names: string[] } | undefined

      // Built only for the lines listed: an Error per refused line would cost more than reading it.
      const reject = (line: number, make: () => AppError) => {
        rejectedCount++
        if (rejected.length >= REJECTED_LISTED_MAX) return
        const err = make()
        rejected.push({
          line,
          error: { code: err.code, message: p.english ? err.en : err.zh, details: err.details ?? {} },
        })
      }

      const readHeader = (r: UploadRecord) => {
        const names = (r.value as string[]).map((n) => n.trim())
        const ids = names.filter((n) => n === 'openid' || n === 'userId')
        const unknown = names.filter((n) => n !== 'openid' && n !== 'userId' && !keys.has(n))
        const repeated = names.filter((n, i) => names.indexOf(n) !== i)
        if (r.problem || ids.length !== 1 || unknown.length > 0 || repeated.length > 0)
          throw uploadColumnsInvalid({ line: r.line, columns: names, unknown, repeated, keywords: [...keys] })
        const idColumn = ids[0] as 'openid' | 'userId'
        header = { idColumn, idIndex: names.indexOf(idColumn), names }
      }

      type Problem = { problem: Record<string, unknown> }
      const toEntry = (
        r: UploadRecord,
      ): { id: string; idKind: 'openid' | 'userId'; values: Values } | Problem => {
        if (r.problem) return { problem: { reason: r.problem } }
        if (p.format === 'csv') {
          const fields = r.value as string[]
          const h = header!
          if (fields.length !== h.names.length)
            return { problem: { reason: 'column_count', expected: h.names.length, got: fields.length } }
          const id = fields[h.idIndex]!.trim()
          if (!id) return { problem: { reason: 'recipient_missing' } }
          const values: Values = {}
          h.names.forEach((n, i) => {
            if (i !== h.idIndex && fields[i] !== '') values[n] = fields[i]!
          })
          return { id, idKind: h.idColumn, values }
        }
        const o = r.value
        if (typeof o !== 'object' || o === null || Array.isArray(o))
          return { problem: { reason: 'not_json' } }
        const { openid, userId, ...values } = o as Record<string, unknown>
        const id = typeof openid === 'string' ? openid : typeof userId === 'string' ? userId : ''
        if (!id || (openid !== undefined && userId !== undefined))
          return { problem: { reason: 'recipient_missing' } }
        return { id, idKind: typeof openid === 'string' ? 'openid' : 'userId', values: values as Values }
      }

      // One chunk is written while the next is read: at most one INSERT in flight, awaited
      // before the next one starts (and at the end), so its error surfaces in this transaction.
      let writing: Promise<void> = Promise.resolve()
      const flush = async () => {
        const rows = pending
        pending = []
        await writing
        writing = store.appendRecipients(trx, { campaignId: p.id, appId: p.appId, rows })
        writing.catch(() => {}) // awaited by the next flush or at the end
      }

      const take = async (batch: UploadRecord[]) => {
        for (const r of batch) {
          lastLine = r.line
          if (p.format === 'csv' && !header) {
            readHeader(r)
            continue
          }
          if (++records > UPLOAD_LINES_MAX) throw uploadTooManyLines({ line: r.line, max: UPLOAD_LINES_MAX })
          const entry = toEntry(r)
          if ('problem' in entry) {
            reject(r.line, () => lineInvalid(entry.problem))
            continue
          }
          let lineValues: Values | null = null
          if (Object.keys(entry.values).length > 0) {
            const merged = checkData(template, { ...campaign!.data, ...entry.values }, campaign!.fit, false)
            if (!merged.ok) {
              reject(r.line, () => contentInvalid({ template: template.id, violations: merged.violations }))
              continue
            }
            lineValues = Object.fromEntries(Object.keys(entry.values).map((k) => [k, merged.values[k]!]))
          }
          accepted++
          pending.push({
            seq: base + r.line,
            ...(entry.idKind === 'openid' ? { openid: entry.id } : { userId: entry.id }),
            data: lineValues,
          })
          if (pending.length >= UPLOAD_CHUNK) await flush()
        }
      }

      const decoder = createUtf8Decoder()
      const reader = p.format === 'csv' ? createCsvReader() : createNdjsonReader()
      try {
        for await (const chunk of p.body) await take(reader.push(decoder.push(chunk as Buffer)))
        await take(reader.push(decoder.end()))
        await take(reader.end())
      } catch (err) {
        if (err instanceof UploadUnreadable) {
          throw err.reason === 'not_utf8'
            ? uploadNotUtf8({ line: err.line })
            : uploadMalformed({ line: err.line })
        }
        throw err
      }
      if (p.format === 'csv' && !header)
        throw uploadColumnsInvalid({ line: 1, columns: [], keywords: [...keys] })
      await flush()
      await writing
      await store.finishUpload(trx, {
        id: p.id,
        nextSeq: base + lastLine,
        accepted,
        rejected: rejectedCount,
      })
      return { accepted, rejected, rejectedCount }
    })
  }

  return { create, upload }
}

export type Audience = ReturnType<typeof createAudience>
