// Declarative fault rules for WeChat paths: answer an errcode, an HTTP status, a delay, a dropped
// connection, or invalidate the app's tokens — at a rate, optionally for a limited count of hits.
// With no rule active the send path pays one `size` check.

export interface FaultInput {
  /** A WeChat path without query (`/cgi-bin/message/subscribe/send`), or `*` for every WeChat path. */
  path: string
  errcode?: number
  status?: number
  delayMs?: number
  drop?: boolean
  invalidateToken?: boolean
  /** Apply the fault after the real handler ran: the call takes effect, the answer is lost or replaced. */
  after?: boolean
  /** Probability of a hit, 0..1 (default 1). */
  rate?: number
  /** The rule expires after this many hits. */
  count?: number
}

export interface FaultRule extends Required<Pick<FaultInput, 'path' | 'rate'>> {
  id: number
  errcode: number | undefined
  status: number | undefined
  delayMs: number | undefined
  drop: boolean
  invalidateToken: boolean
  after: boolean
  count: number | undefined
  hits: number
}

export class Faults {
  private readonly rules: FaultRule[] = []
  private nextId = 1
  constructor(private readonly random: () => number = Math.random) {}

  get size(): number {
    return this.rules.length
  }

  add(input: FaultInput): FaultRule {
    const rule: FaultRule = {
      id: this.nextId++,
      path: input.path,
      errcode: input.errcode,
      status: input.status,
      delayMs: input.delayMs,
      drop: input.drop ?? false,
      invalidateToken: input.invalidateToken ?? false,
      after: input.after ?? false,
      rate: input.rate ?? 1,
      count: input.count,
      hits: 0,
    }
    this.rules.push(rule)
    return rule
  }

  /** Removes the rules matching the filter (all when empty); returns those left. */
  remove(filter: { id?: number; path?: string } = {}): FaultRule[] {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const r = this.rules[i]
      if (!r) continue
      if (
        (filter.id === undefined || r.id === filter.id) &&
        (filter.path === undefined || r.path === filter.path)
      ) {
        this.rules.splice(i, 1)
      }
    }
    return this.list()
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }))
  }

  /** The first active rule for `path` that fires now (drawn by `rate`); counts the hit. */
  match(path: string): FaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]
      if (!r || (r.path !== path && r.path !== '*')) continue
      if (r.rate < 1 && this.random() >= r.rate) continue
      r.hits++
      if (r.count !== undefined && r.hits >= r.count) this.rules.splice(i, 1)
      return r
    }
    return undefined
  }
}
