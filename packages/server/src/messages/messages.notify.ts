// LISTEN/NOTIFY as a latency hint between processes: an enqueue in one process wakes the
// dispatchers of all. Polling stays the truth, so a lost notification only costs one poll interval.
// PGlite is one process: the in-process wake-up is all it needs.
import { sql } from 'kysely'
import pg from 'pg'
import type { Db } from '../db/db.ts'

export const MESSAGES_CHANNEL = 'wxpush_messages'
const RECONNECT_MS = 1_000

/** Keeps one LISTEN connection open, reconnecting after a database restart. */
export function listenForMessages(p: {
  databaseUrl: string
  onNotify: () => void
  onError: (err: unknown) => void
}) {
  let closed = false
  let client: pg.Client | undefined
  let timer: NodeJS.Timeout | undefined

  const connect = async () => {
    if (closed) return
    const c = new pg.Client({ connectionString: p.databaseUrl })
    c.on('notification', () => p.onNotify())
    c.on('error', (err) => {
      p.onError(err)
      retry()
    })
    c.on('end', retry)
    try {
      await c.connect()
      await c.query(`LISTEN ${MESSAGES_CHANNEL}`)
      client = c
      p.onNotify() // anything enqueued while we were away
    } catch (err) {
      p.onError(err)
      c.end().catch(() => {})
      retry()
    }
  }
  const retry = () => {
    client = undefined
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = undefined
      void connect()
    }, RECONNECT_MS)
  }
  void connect()

  return async () => {
    closed = true
    if (timer) clearTimeout(timer)
    await client?.end().catch(() => {})
  }
}

// Each NOTIFY is a transaction of its own (a commit): measured, one per enqueue under load. At most
// one per 25 ms keeps the hint within 25 ms of the enqueue at a fixed cost of ≤ 40 commits a second.
const NOTIFY_EVERY_MS = 25

/** Coalesces NOTIFYs: at most one per NOTIFY_EVERY_MS; enqueues meanwhile ride on the next. */
export function createNotifier(db: Db) {
  let pending = false
  return () => {
    if (pending) return
    pending = true
    setTimeout(() => {
      sql`SELECT pg_notify(${MESSAGES_CHANNEL}, '')`
        .execute(db)
        .catch(() => {}) // a hint only: the pollers will find the message anyway
        .finally(() => (pending = false))
    }, NOTIFY_EVERY_MS).unref()
  }
}
