// The ledger against a plain in-memory model, on both databases: fast-check draws sequences of
// answers (reported by the mini program or confirmed by WeChat), reservations (the outbox's enqueue
// statement with the consent gate, the one production path that takes a credit) and their outcomes
// (consume, release, zero after 43101) and switch-offs, reports that wait for WeChat's proof (with
// or without a confirmation window) and the window running out, runs each against the real ledger
// (one transaction per command, as the routes and the dispatcher do) and against the model, and
// after every command compares every counter, every status and every 409, and rebuilds `used` from
// the consent_events log.
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsentSource } from '../db/db.schema.ts'
import { openDb, type Db, type DbHandle } from '../db/db.ts'
import { migrate } from '../db/migrate.ts'
import { createMessagesStore, type MessagesStore } from '../messages/messages.store.ts'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../testing/test-db.ts'
import { createLedger, SUBSCRIBE_ANSWERS, type Ledger, type SubscribeAnswer } from './consents.ledger.ts'
import { CONSENT_GATE } from './consents.credits.ts'
import { createConsentsStore } from './consents.store.ts'

const APP = 'wx_model_app'
const USERS = ['usr_model_a', 'usr_model_b'] as const
/** One template of each kind: index 0 one-time, index 1 long-term. */
const TEMPLATES = [
  { id: 'tpl_one_time', kind: 'one_time' },
  { id: 'tpl_long_term', kind: 'long_term' },
] as const

interface Cell {
  reported: number
  confirmed: number
  used: number
  status: string
  /** unconfirmed_until: none, in the future, or past (migrations/0010). */
  until: 'none' | 'open' | 'expired'
}
interface Model {
  cells: Map<string, Cell>
  /** Reservations made and not yet settled by consume / release / zero, oldest first. */
  open: { ref: Ref; messageId: string }[]
}
interface Real {
  db: Db
  ledger: Ledger
  messages: MessagesStore
}
interface Ref {
  user: number
  template: number
}

const keyOf = (r: Ref) => `${USERS[r.user]}|${TEMPLATES[r.template]?.id}`
const credits = (c: Cell) =>
  c.until === 'expired' ? Math.max(c.confirmed - c.used, 0) : Math.max(c.reported, c.confirmed) - c.used
const WINDOW_S = 600
const ids = (r: Ref) => ({
  appId: APP,
  userId: USERS[r.user] ?? '',
  templateId: TEMPLATES[r.template]?.id ?? '',
})

let messageSeq = 0

async function inTrx<T>(real: Real, fn: (trx: Db) => Promise<T>): Promise<T> {
  return real.db.transaction().execute(fn)
}

/** Every row of the ledger, as the model keeps it. */
async function snapshot(real: Real) {
  const out: Record<string, Cell & { credits: number }> = {}
  for (const userId of USERS) {
    for (const r of await real.ledger.listForUser(real.db, userId)) {
      const { reported, confirmed, used, status } = r
      const u = r.unconfirmed_until
      const until = u === null ? 'none' : u.getTime() < Date.now() ? 'expired' : 'open'
      out[`${userId}|${r.template_id}`] = {
        reported,
        confirmed,
        used,
        status,
        until,
        credits: Number(r.credits),
      }
    }
  }
  return out
}

/**
 * `used` of every row rebuilt from the event log alone: each event of a credit-moving action
 * carries the change in credits (reserve −1, release +1, zero / switch-off −credits left).
 */
async function usedFromEvents(real: Real) {
  const r = await sql<{ key: string; used: number }>`
    SELECT user_id || '|' || template_id AS key, -sum(delta)::int AS used FROM consent_events
     WHERE action IN ('reserve', 'release', 'zero_after_43101', 'switched_off')
     GROUP BY user_id, template_id`.execute(real.db)
  return Object.fromEntries(r.rows.filter((x) => x.used !== 0).map((x) => [x.key, x.used]))
}

const usedOf = (rows: Record<string, Cell>) =>
  Object.fromEntries(
    Object.entries(rows)
      .filter(([, c]) => c.used !== 0)
      .map(([key, c]) => [key, c.used]),
  )

const expected = (model: Model) =>
  Object.fromEntries([...model.cells].map(([key, c]) => [key, { ...c, credits: credits(c) }]))

abstract class LedgerCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ref: Ref) {}
  check(_m: Readonly<Model>): boolean {
    return true
  }
  [fc.toStringMethod](): string {
    return this.toString()
  }
  protected abstract apply(m: Model, real: Real): Promise<void>
  async run(m: Model, real: Real): Promise<void> {
    await this.apply(m, real)
    const rows = await snapshot(real)
    expect(rows, this.toString()).toEqual(expected(m))
    expect(await usedFromEvents(real), `${this.toString()}: used rebuilt from consent_events`).toEqual(
      usedOf(rows),
    )
  }
  abstract toString(): string
}

class Answer extends LedgerCommand {
  constructor(
    ref: Ref,
    readonly source: ConsentSource,
    readonly answer: SubscribeAnswer,
    /** Reports wait for WeChat's event (the app receives events), or are taken as they come. */
    readonly windowOn: boolean,
  ) {
    super(ref)
  }
  protected async apply(m: Model, real: Real) {
    const accept = this.answer.startsWith('accept')
    const inc = accept ? 1 : 0
    const c: Cell = m.cells.get(keyOf(this.ref)) ?? {
      reported: 0,
      confirmed: 0,
      used: 0,
      status: 'none',
      until: 'none',
    }
    const expired = c.until === 'expired'
    // Past the window, the unconfirmed excess is dropped before anything else (migrations/0010).
    const reportedNow = expired && c.reported > c.confirmed ? Math.max(c.confirmed, c.used) : c.reported
    if (this.source === 'miniprogram') {
      c.reported = reportedNow + inc
      if (!this.windowOn || c.reported <= c.confirmed) c.until = 'none'
      else if (c.until !== 'open') c.until = 'open'
    } else {
      // An accept confirms; a refusal voids the reports it contradicts.
      const caughtUp = c.confirmed + inc >= c.reported
      if (!accept || expired)
        c.reported = c.reported > c.confirmed ? Math.max(c.confirmed, c.used) : c.reported
      if (!accept || expired || caughtUp) c.until = 'none'
      c.confirmed += inc
    }
    c.status = accept ? 'accept' : this.answer
    m.cells.set(keyOf(this.ref), c)
    const { appId, userId, templateId } = ids(this.ref)
    const answered = await inTrx(real, (trx) =>
      real.ledger.recordAnswers(trx, {
        appId,
        userId,
        results: { [templateId]: this.answer },
        source: this.source,
        confirmWindowS: this.windowOn ? WINDOW_S : null,
      }),
    )
    expect(answered).toEqual([
      {
        template: templateId,
        credits: credits(c),
        status: c.status,
        unconfirmedUntil: c.until === 'none' ? null : expect.any(Date),
      },
    ])
  }
  toString() {
    return `answer(${keyOf(this.ref)}, ${this.source}, ${this.answer}${this.windowOn ? ', window' : ''})`
  }
}

/**
 * A reservation as the outbox makes it: the enqueue statement (messages.store) with the consent
 * gate (consents.credits), which takes the credit, writes its event and the message row together.
 */
class Reserve extends LedgerCommand {
  protected async apply(m: Model, real: Real) {
    const kind = TEMPLATES[this.ref.template]?.kind ?? 'one_time'
    const c = m.cells.get(keyOf(this.ref))
    const messageId = `msg_model_${++messageSeq}`
    let want: string
    if (kind === 'long_term') want = c?.status === 'accept' ? 'ok' : 'messages.not_subscribed'
    else if (c && credits(c) > 0) {
      c.used++
      m.open.push({ ref: this.ref, messageId })
      want = 'ok'
    } else want = 'messages.no_credit'
    expect(await viaOutbox(real, this.ref, kind, messageId), this.toString()).toBe(want)
  }
  toString() {
    return `reserve(${keyOf(this.ref)})`
  }
}

async function viaOutbox(real: Real, ref: Ref, kind: 'one_time' | 'long_term', messageId: string) {
  const { appId, userId, templateId } = ids(ref)
  const [r] = await inTrx(real, (trx) =>
    real.messages.enqueueMany(
      trx,
      [
        {
          id: messageId,
          appId,
          recipient: { userId },
          templateId,
          templateKind: kind,
          data: { thing1: 'model' },
          page: null,
          miniprogramState: null,
          lang: null,
          status: 'queued',
          runAt: new Date(),
          idempotencyKey: null,
        },
      ],
      CONSENT_GATE,
    ),
  )
  if (!r) return 'no answer'
  if (r.allowed !== r.written) return 'message row and credit disagree'
  return r.allowed ? 'ok' : kind === 'one_time' ? 'messages.no_credit' : 'messages.not_subscribed'
}

/** What the dispatcher does with a reserved credit once WeChat has answered: `pick` chooses which. */
class Settle extends LedgerCommand {
  constructor(
    readonly pick: number,
    readonly outcome: 'consume' | 'release' | 'zero',
  ) {
    super({ user: 0, template: 0 })
  }
  override check(m: Readonly<Model>) {
    return m.open.length > 0
  }
  protected async apply(m: Model, real: Real) {
    const [settled] = m.open.splice(this.pick % m.open.length, 1)
    const c = settled && m.cells.get(keyOf(settled.ref))
    if (!settled || !c) throw new Error('check() lets only open reservations through')
    if (this.outcome === 'release') c.used = Math.max(0, c.used - 1)
    // zero writes off what is left: used grows by the credits left, as the `zero` event says
    if (this.outcome === 'zero') c.used += credits(c)
    const p = { ...ids(settled.ref), messageId: settled.messageId }
    // consume: WeChat accepted the send; the credit reserved stays spent and the ledger is not called.
    if (this.outcome === 'release') await inTrx(real, (trx) => real.ledger.release(trx, [p]))
    if (this.outcome === 'zero') await inTrx(real, (trx) => real.ledger.zero(trx, { ...p, kind: 'one_time' }))
  }
  toString() {
    return `${this.outcome}(open #${this.pick})`
  }
}

/** The confirmation window runs out (moved an hour into the past, as time passing would). */
class Expire extends LedgerCommand {
  protected async apply(m: Model, real: Real) {
    const c = m.cells.get(keyOf(this.ref))
    if (c?.until === 'open') c.until = 'expired'
    const { userId, templateId } = ids(this.ref)
    await real.db
      .updateTable('consents')
      .set({ unconfirmed_until: sql<Date>`now() - interval '1 hour'` })
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .where('unconfirmed_until', '>', sql<Date>`now()`)
      .execute()
  }
  toString() {
    return `expire(${keyOf(this.ref)})`
  }
}

class SwitchOff extends LedgerCommand {
  protected async apply(m: Model, real: Real) {
    const c = m.cells.get(keyOf(this.ref))
    if (c) {
      c.used += credits(c)
      c.status = 'off'
    }
    await inTrx(real, (trx) => real.ledger.switchOff(trx, ids(this.ref)))
  }
  toString() {
    return `switchOff(${keyOf(this.ref)})`
  }
}

// The one-time template drawn 3 times in 4: its credits are what reservations and settles need.
const ref = fc.record({
  user: fc.integer({ min: 0, max: USERS.length - 1 }),
  template: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.constant(1), weight: 1 }),
})
// Accepts weighted up, so that credits build and reservations succeed often enough to matter.
const answer = fc.oneof(
  { arbitrary: fc.constantFrom<SubscribeAnswer>('accept', 'acceptWithAudio', 'acceptWithAlert'), weight: 4 },
  { arbitrary: fc.constantFrom(...SUBSCRIBE_ANSWERS), weight: 2 },
)
const answerCmd = fc
  .tuple(ref, fc.constantFrom<ConsentSource>('miniprogram', 'wechat'), answer, fc.boolean())
  .map(([r, s, a, w]) => new Answer(r, s, a, w))
const reserveCmd = ref.map((r) => new Reserve(r))
const settleCmd = fc
  .tuple(fc.nat(9), fc.constantFrom<'consume' | 'release' | 'zero'>('consume', 'release', 'zero'))
  .map(([pick, o]) => new Settle(pick, o))
const commands = fc.array(
  fc.oneof(
    { arbitrary: answerCmd, weight: 4 },
    { arbitrary: reserveCmd, weight: 4 },
    { arbitrary: settleCmd, weight: 3 },
    { arbitrary: ref.map((r) => new SwitchOff(r)), weight: 1 },
    { arbitrary: ref.map((r) => new Expire(r)), weight: 2 },
  ),
  { minLength: 10, maxLength: 25 },
)

describe.each(DB_KINDS)('the consent ledger against its model on %s', (kind) => {
  let database: TestDatabase
  let handle: DbHandle
  let real: Real
  let failed = false

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    handle = await openDb({ databaseUrl: database.env.DATABASE_URL, dataDir: `${database.dataDir}/pglite` })
    await migrate(handle.db)
    await handle.db
      .insertInto('apps')
      .values({ id: APP, name: 'model', secret_enc: 'unused', token_mode: 'stable' })
      .execute()
    await handle.db
      .insertInto('users')
      .values(
        USERS.map((id) => ({ id, app_id: APP, openid: `o_${id}`, unionid: null, session_key_enc: null })),
      )
      .execute()
    real = {
      db: handle.db,
      ledger: createLedger({ store: createConsentsStore() }),
      messages: createMessagesStore(),
    }
  })
  afterAll(async () => {
    await handle?.close()
    await database?.drop(failed)
  })

  it('agrees with the in-memory model after every command of random sequences', async () => {
    await fc
      .assert(
        fc.asyncProperty(commands, async (cmds) => {
          for (const table of ['consent_events', 'consents', 'message_events', 'messages'] as const)
            await handle.db.deleteFrom(table).execute()
          await fc.asyncModelRun(() => ({ model: { cells: new Map(), open: [] }, real }), cmds)
        }),
        { numRuns: 30 },
      )
      .catch((e: unknown) => ((failed = true), Promise.reject(e)))
  }, 180_000)
})
