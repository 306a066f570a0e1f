// Streamed recipient uploads: NDJSON or CSV text in, records with their line numbers out, chunk by
// chunk (a million lines are never held at once). Pure: no I/O, so a property test can drive it.
//
// CSV follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): fields separated by commas, a field
// in double quotes may hold commas, line breaks and doubled quotes (""); records end with LF or
// CRLF. The first record is the header. A record's line number is the line it starts on.
// NDJSON (https://github.com/ndjson/ndjson-spec): one JSON object per line.
// Blank lines are skipped in both.

export interface UploadRecord {
  line: number
  /** CSV: the fields in header order. NDJSON: the parsed value. */
  value: string[] | unknown
  /** Why this one line cannot be read (the rest of the upload goes on). */
  problem?: 'quote_in_field' | 'not_json'
}

/** A problem that makes the whole upload unreadable: nothing of it is kept. */
export class UploadUnreadable extends Error {
  constructor(
    readonly reason: 'unbalanced_quote' | 'not_utf8',
    readonly line: number,
  ) {
    super(`${reason} at line ${line}`)
  }
}

export interface LineReader {
  push(text: string): UploadRecord[]
  end(): UploadRecord[]
}

export function createCsvReader(): LineReader {
  let line = 1 // the physical line the reader is on
  let recordLine = 1
  let field = ''
  let fields: string[] = []
  let inQuotes = false
  let afterQuote = false // just closed a quoted field: only , or a line end may follow
  let fieldStarted = false
  let problem: UploadRecord['problem']
  let pendingCr = false

  function endRecord(out: UploadRecord[]) {
    fields.push(field)
    const blank = fields.length === 1 && fields[0] === '' && !fieldStarted
    if (!blank) out.push({ line: recordLine, value: fields, ...(problem ? { problem } : {}) })
    fields = []
    field = ''
    fieldStarted = false
    afterQuote = false
    problem = undefined
  }

  function feed(text: string, out: UploadRecord[]) {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (pendingCr) {
        pendingCr = false
        if (ch === '\n') continue // the LF of a CRLF already ended the record
      }
      if (inQuotes) {
        if (ch === '"') {
          if (i + 1 >= text.length) {
            // Cannot tell "" from a closing quote yet: keep it for the next chunk.
            return text.slice(i)
          }
          if (text[i + 1] === '"') {
            field += '"'
            i++
          } else {
            inQuotes = false
            afterQuote = true
          }
        } else {
          if (ch === '\n') line++
          field += ch
        }
        continue
      }
      if (ch === ',') {
        fields.push(field)
        field = ''
        fieldStarted = false
        afterQuote = false
      } else if (ch === '\n' || ch === '\r') {
        endRecord(out)
        line++
        recordLine = line
        if (ch === '\r') pendingCr = true
      } else if (ch === '"' && !fieldStarted && field === '') {
        inQuotes = true
        fieldStarted = true
      } else {
        if (afterQuote || ch === '"') problem ??= 'quote_in_field'
        field += ch
        fieldStarted = true
      }
    }
    return ''
  }

  let carry = ''
  return {
    push(text) {
      const out: UploadRecord[] = []
      carry = feed(carry + text, out)
      return out
    },
    end() {
      const out: UploadRecord[] = []
      if (carry) {
        // A quote at the very end closes the field.
        carry = ''
        inQuotes = false
        afterQuote = true
      }
      if (inQuotes) throw new UploadUnreadable('unbalanced_quote', recordLine)
      if (fields.length > 0 || field !== '' || fieldStarted) endRecord(out)
      return out
    },
  }
}

export function createNdjsonReader(): LineReader {
  let line = 0
  let rest = ''
  function one(text: string, out: UploadRecord[]) {
    line++
    const t = text.endsWith('\r') ? text.slice(0, -1) : text
    if (t.trim() === '') return
    try {
      out.push({ line, value: JSON.parse(t) as unknown })
    } catch {
      out.push({ line, value: t, problem: 'not_json' })
    }
  }
  return {
    push(text) {
      const out: UploadRecord[] = []
      const parts = (rest + text).split('\n')
      rest = parts.pop()!
      for (const p of parts) one(p, out)
      return out
    },
    end() {
      const out: UploadRecord[] = []
      if (rest !== '') one(rest, out)
      rest = ''
      return out
    },
  }
}

/**
 * Bytes to text, refusing anything that is not UTF-8 (with the line it was found on). A BOM at the
 * start is dropped (spreadsheet exports write one).
 */
export function createUtf8Decoder() {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  let lines = 1
  const count = (s: string) => {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++
    return s
  }
  return {
    push(bytes: Uint8Array): string {
      try {
        return count(decoder.decode(bytes, { stream: true }))
      } catch {
        // The bad bytes are in this chunk: the line is the first one the chunk touches after the
        // text decoded so far (close enough to find it in an editor).
        throw new UploadUnreadable('not_utf8', lines + countValidPrefixLines(bytes))
      }
    },
    end(): string {
      try {
        return count(decoder.decode())
      } catch {
        throw new UploadUnreadable('not_utf8', lines)
      }
    },
  }
}

/** Line breaks before the first byte that cannot start or continue UTF-8 text. */
function countValidPrefixLines(bytes: Uint8Array): number {
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === 0x0a) n++
    else if (b >= 0x80) {
      const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0
      if (len === 0) return n
      for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return n
      i += len - 1
    }
  }
  return n
}
