// The `time` and `date` keyword formats. Official wording (subscribeMessage.send): times are 24-hour HH:MM or
// HH:MM:SS, a date may precede a time and a time may follow a date; dates are y年m月d日, y年m月, m月d日 or
// joined by '-', '/', '.' (2018-01-01, 2018/01/01, 2018.01.01, 2018-01, 01-01); a range joins two points with '~'.

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/
const CLOCK_AT_END = /(\d{1,2}:\d{2}(?::\d{2})?)$/
const CN_DATE = /^(?:(\d{4})年)?(?:(\d{1,2})月)(?:(\d{1,2})日)?$/
const YEAR_SEP_DATE = /^(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?$/
const MONTH_SEP_DATE = /^(\d{1,2})([-/.])(\d{1,2})$/

function inRange(text: string | undefined, min: number, max: number): boolean {
  if (text === undefined) return true
  const n = Number(text)
  return n >= min && n <= max
}

function isClock(text: string): boolean {
  const m = CLOCK.exec(text)
  return m !== null && inRange(m[1], 0, 23) && inRange(m[2], 0, 59) && inRange(m[3], 0, 59)
}

function isDate(text: string): boolean {
  const cn = CN_DATE.exec(text)
  if (cn !== null) {
    const [, year, month, day] = cn
    // A month alone ("10月") is not one of the documented shapes.
    if (year === undefined && day === undefined) return false
    return inRange(month, 1, 12) && inRange(day, 1, 31)
  }
  const ys = YEAR_SEP_DATE.exec(text)
  if (ys !== null) return inRange(ys[3], 1, 12) && inRange(ys[4], 1, 31)
  const ms = MONTH_SEP_DATE.exec(text)
  if (ms !== null) return inRange(ms[1], 1, 12) && inRange(ms[3], 1, 31)
  return false
}

function isPoint(point: string, kind: 'time' | 'date'): boolean {
  const clock = CLOCK_AT_END.exec(point)
  const datePart = (clock === null ? point : point.slice(0, clock.index)).trim()
  if (clock !== null && !isClock(clock[1] ?? '')) return false
  if (kind === 'time') return clock !== null && (datePart === '' || isDate(datePart))
  return datePart !== '' && isDate(datePart)
}

/** True when `value` is a documented `time` (kind 'time') or `date` (kind 'date') value, a range allowed. */
export function isTimeOrDate(value: string, kind: 'time' | 'date'): boolean {
  const points = value.split('~')
  if (points.length > 2) return false
  return points.every((p) => isPoint(p.trim(), kind))
}

// WeChat users read times in China Standard Time, which has had no daylight saving since 1991: UTC+8 always.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000

export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

export function shanghaiWallTime(date: Date): WallTime {
  const d = new Date(date.getTime() + SHANGHAI_OFFSET_MS)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  }
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Reads an ISO-8601 date-time. With an offset (or Z) it is converted to Shanghai wall time; without one it is
 * taken as Shanghai wall time already. Answers undefined for anything else.
 */
export function parseIsoDateTime(text: string): WallTime | undefined {
  const m = ISO_DATE_TIME.exec(text)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, , zone] = m
  if (zone !== undefined) {
    const date = new Date(text.replace(' ', 'T'))
    return Number.isNaN(date.getTime()) ? undefined : shanghaiWallTime(date)
  }
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi) }
  const ok =
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= 31 &&
    wall.hour <= 23 &&
    wall.minute <= 59
  return ok ? wall : undefined
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** '2019年10月1日' */
export function formatChineseDate(w: WallTime): string {
  return `${w.year}年${w.month}月${w.day}日`
}

/** '2019年10月1日 15:01' */
export function formatChineseDateTime(w: WallTime): string {
  return `${formatChineseDate(w)} ${pad2(w.hour)}:${pad2(w.minute)}`
}
