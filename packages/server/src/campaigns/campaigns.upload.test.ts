// Properties of the upload readers: whatever the content and however the bytes are cut into
// chunks, CSV written by the RFC 4180 rules reads back field for field with the line each record
// starts on; NDJSON likewise; UTF-8 decodes across any cut and anything else is refused.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createCsvReader,
  createNdjsonReader,
  createUtf8Decoder,
  UploadUnreadable,
  type LineReader,
  type UploadRecord,
} from './campaigns.upload.ts'

const fieldChars = fc.constantFrom('a', 'b', '1', ',', '"', '\n', '\r', ' ', '签', '到', '😀', ':')
const field = fc.array(fieldChars, { maxLength: 6 }).map((cs) => cs.join(''))

function csvField(f: string, alone: boolean) {
  return /[",\r\n]/.test(f) || (alone && f === '') ? `"${f.replaceAll('"', '""')}"` : f
}

function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b)
  const parts: string[] = []
  let from = 0
  for (const p of at) {
    parts.push(text.slice(from, p))
    from = p
  }
  parts.push(text.slice(from))
  return parts
}

function readAll(reader: LineReader, parts: string[]): UploadRecord[] {
  return [...parts.flatMap((p) => reader.push(p)), ...reader.end()]
}

describe('the CSV reader', () => {
  it('reads back any table written by RFC 4180, in any chunking, with each record’s first line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.array(fc.array(field, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 12,
            }),
            fc.constantFrom('\n', '\r\n'),
            fc.boolean(),
            fc.array(fc.nat(), { maxLength: 8 }),
          ),
        ),
        ([rows, eol, trailing, points]) => {
          const lines = rows.map((r) => r.map((f) => csvField(f, r.length === 1)).join(','))
          const text = lines.join(eol) + (trailing ? eol : '')
          let line = 1
          const expected = lines.map((l, i) => {
            const rec = { line, value: rows[i] }
            line += (l.match(/\n/g)?.length ?? 0) + 1
            return rec
          })
          expect(readAll(createCsvReader(), cut(text, points))).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('refuses an unbalanced quote with the line the record started on', () => {
    const reader = createCsvReader()
    reader.push('openid,thing1\no1,ok\no2,"never closed\nmore\n')
    expect(() => reader.end()).toThrowError(UploadUnreadable)
    const r = createCsvReader()
    r.push('a\n"b')
    expect(() => r.end()).toThrowError(
      expect.objectContaining({ reason: 'unbalanced_quote', line: 2 }) as Error,
    )
  })

  it('marks a stray quote inside a field as a problem of that line only', () => {
    const out = readAll(createCsvReader(), ['h1,h2\nab"c,d\n"x"y,z\nok,fine\n'])
    expect(out.map((r) => [r.line, r.problem])).toEqual([
      [1, undefined],
      [2, 'quote_in_field'],
      [3, 'quote_in_field'],
      [4, undefined],
    ])
  })
})

describe('the NDJSON reader', () => {
  it('reads back any list of objects, in any chunking, skipping blank lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 })), { nil: null }),
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        (items, points) => {
          // null stands for a blank line
          const text = items.map((o) => (o === null ? '' : JSON.stringify(o))).join('\n')
          const expected = items.flatMap((o, i) => (o === null ? [] : [{ line: i + 1, value: o }]))
          expect(readAll(createNdjsonReader(), cut(text, points))).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('marks a line that is not JSON and goes on', () => {
    const out = readAll(createNdjsonReader(), ['{"openid":"a"}\n{oops\n{"openid":"b"}'])
    expect(out.map((r) => [r.line, r.problem])).toEqual([
      [1, undefined],
      [2, 'not_json'],
      [3, undefined],
    ])
  })
})

describe('the UTF-8 decoder', () => {
  it('decodes any text cut at any byte', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (s, points) => {
          const bytes = new TextEncoder().encode(s)
          const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)
          const d = createUtf8Decoder()
          let out = ''
          let from = 0
          for (const p of [...at, bytes.length]) {
            out += d.push(bytes.slice(from, p))
            from = p
          }
          expect(out + d.end()).toBe(s)
        },
      ),
    )
  })

  it('refuses GBK bytes with the line they are on', () => {
    const gbk = Uint8Array.from([0xc7, 0xa9, 0xb5, 0xbd]) // 签到 in GBK
    const bytes = new Uint8Array([...new TextEncoder().encode('openid\nok\n'), ...gbk])
    const d = createUtf8Decoder()
    expect(() => d.push(bytes)).toThrowError(
      expect.objectContaining({ reason: 'not_utf8', line: 3 }) as Error,
    )
  })
})
