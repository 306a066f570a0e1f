// Calls per WeChat path (no query), by the errcode answered, plus callback push counters.
// `GET /control/stats` returns `toJSON()`; keys besides errcodes: `http502` (a status fault),
// `dropped` (a drop fault).

export interface CallbackStats {
  events: number
  attempts: number
  delivered: number
  failed: number
  retries: number
  byEvent: Record<string, number>
}

export class Stats {
  private calls = new Map<string, { total: number; errcodes: Map<string, number> }>()
  callbacks: CallbackStats = emptyCallbacks()

  count(path: string, outcome: number | string): void {
    let entry = this.calls.get(path)
    if (!entry) {
      entry = { total: 0, errcodes: new Map() }
      this.calls.set(path, entry)
    }
    entry.total++
    const key = String(outcome)
    entry.errcodes.set(key, (entry.errcodes.get(key) ?? 0) + 1)
  }

  reset(): void {
    this.calls = new Map()
    this.callbacks = emptyCallbacks()
  }

  toJSON(): {
    calls: Record<string, { total: number; errcodes: Record<string, number> }>
    callbacks: CallbackStats
  } {
    const calls: Record<string, { total: number; errcodes: Record<string, number> }> = {}
    for (const [path, e] of this.calls)
      calls[path] = { total: e.total, errcodes: Object.fromEntries(e.errcodes) }
    return { calls, callbacks: { ...this.callbacks, byEvent: { ...this.callbacks.byEvent } } }
  }
}

function emptyCallbacks(): CallbackStats {
  return { events: 0, attempts: 0, delivered: 0, failed: 0, retries: 0, byEvent: {} }
}
