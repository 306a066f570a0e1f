// Group commit of concurrent accepts: each POST /v1/messages used to be a statement and a commit of
// its own (measured: a commit, a parse and a plan of the enqueue statement per message). Requests
// that arrive while a write is in flight wait for it to end and then go together into the next
// one: one statement, one commit. The first request of a quiet moment goes at once (nothing waits
// on a timer), and each caller's promise settles only once its own row is committed.
//
// Two items with the same key (an idempotency key) never share a write: the second goes into the
// next one, which sees the first's row. A group that fails with an error that rolled everything
// back (a deadlock, a serialization failure) is tried again item by item, so that one item cannot
// fail the others; any other error fails the whole group (its outcome may be unknown, e.g. the
// connection lost during COMMIT, and a retry could write twice).

interface Waiting<I, R> {
  item: I
  resolve: (r: R) => void
  reject: (err: unknown) => void
}

export function createGroupCommit<I, R>(o: {
  maxGroup: number
  keyOf: (item: I) => string | null
  /** Writes the items in one transaction; answers one result per item, in order. */
  write: (items: I[]) => Promise<R[]>
  /** The error left nothing written: the group's items may be tried again one by one. */
  rolledBack: (err: unknown) => boolean
}) {
  let queue: Waiting<I, R>[] = []
  let writing = false

  function nextGroup(): Waiting<I, R>[] {
    const group: Waiting<I, R>[] = []
    const rest: Waiting<I, R>[] = []
    const keys = new Set<string>()
    for (const w of queue) {
      const key = o.keyOf(w.item)
      if (group.length < o.maxGroup && (key === null || !keys.has(key))) {
        group.push(w)
        if (key !== null) keys.add(key)
      } else rest.push(w)
    }
    queue = rest
    return group
  }

  async function run(group: Waiting<I, R>[]): Promise<void> {
    try {
      const results = await o.write(group.map((w) => w.item))
      group.forEach((w, i) => w.resolve(results[i]!))
    } catch (err) {
      if (group.length > 1 && o.rolledBack(err)) for (const w of group) await run([w])
      else for (const w of group) w.reject(err)
    }
  }

  async function drain() {
    writing = true
    try {
      while (queue.length > 0) await run(nextGroup())
    } finally {
      writing = false
    }
  }

  return {
    submit(item: I): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!writing) void drain()
      })
    },
  }
}

/** Postgres errors after which the transaction was rolled back and nothing of it is left. */
export function rolledBack(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '40P01' || code === '40001'
}
