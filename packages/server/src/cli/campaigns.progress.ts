// One line of campaign progress: a bar on a terminal (redrawn in place), plain text otherwise.
// The rate is measured between two looks; the ETA is what is left at that rate.

export interface ProgressCounts {
  recipients: number
  pending?: number
  queued: number
  sent: number
  delivered: number
  failed: number
  skipped: number
}

export interface ProgressSample {
  at: number
  done: number
}

const WIDTH = 24

export const doneOf = (c: ProgressCounts) => c.sent + c.delivered + c.failed + c.skipped

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`
}

/** Messages finished per second between two samples (0 when no time passed). */
export function rateBetween(a: ProgressSample | undefined, b: ProgressSample): number {
  if (!a || b.at <= a.at) return 0
  return Math.max(0, ((b.done - a.done) * 1000) / (b.at - a.at))
}

export function progressLine(p: {
  status: string
  counts: ProgressCounts
  rate: number
  bar: boolean
}): string {
  const c = p.counts
  const done = doneOf(c)
  const ratio = c.recipients > 0 ? Math.min(1, done / c.recipients) : 1
  const eta = p.rate > 0 ? formatDuration((c.recipients - done) / p.rate) : '--:--'
  const figures =
    `${p.status} 已发/sent ${c.sent + c.delivered} · 排队/queued ${c.queued + (c.pending ?? 0)} · ` +
    `失败/failed ${c.failed} · 跳过/skipped ${c.skipped} · ${p.rate.toFixed(1)}/s · ETA ${eta}`
  if (!p.bar) return `${done}/${c.recipients} ${figures}`
  const filled = Math.round(ratio * WIDTH)
  return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${figures}`
}
