// The consent ledger: what each user allowed, and one-time credits counted exactly.
//
//   accept reported by the mini program / confirmed by WeChat's popup event → +1 on that source's
//          counter; credits = greatest(reported, confirmed) - used, so one tap is never counted twice
//   enqueue of a one-time message                      → reserve: −1 credit (409 when none), taken
//                                                        inside the outbox's enqueue statement (consentGate)
//   WeChat accepted the send                            → nothing: the reserved credit stays spent
//   WeChat refused without using it (busy, token, …)    → release: +1 credit
//   WeChat answered 43101                               → zero: our count was wrong
// Long-term templates need status 'accept' and spend nothing.
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus } from '../db/db.schema.ts'
import type { ConsentsStore } from './consents.store.ts'

export type SubscribeAnswer =
  'accept' | 'acceptWithAudio' | 'acceptWithAlert' | 'acceptWithForcePush' | 'reject' | 'ban' | 'filter'

export const SUBSCRIBE_ANSWERS: readonly SubscribeAnswer[] = Object.freeze([
  'accept',
  'acceptWithAudio',
  'acceptWithAlert',
  'acceptWithForcePush',
  'reject',
  'ban',
  'filter',
])

function statusOf(answer: SubscribeAnswer): ConsentStatus {
  return answer.startsWith('accept') ? 'accept' : (answer as ConsentStatus)
}

export function createLedger({ store }: { store: ConsentsStore }) {
  return {
    async recordAnswers(
      db: Db,
      p: { appId: string; userId: string; results: Record<string, SubscribeAnswer>; source: ConsentSource },
    ) {
      const out: { template: string; credits: number; status: ConsentStatus }[] = []
      for (const [templateId, answer] of Object.entries(p.results)) {
        const status = statusOf(answer)
        const accept = status === 'accept'
        const row = await store.addAnswer(db, {
          appId: p.appId,
          userId: p.userId,
          templateId,
          status,
          source: p.source,
          accept,
        })
        await store.appendEvent(db, {
          appId: p.appId,
          userId: p.userId,
          templateId,
          action: answer,
          source: p.source,
          delta: accept ? 1 : 0,
        })
        out.push({ template: row.template_id, credits: row.credits, status: row.status })
      }
      return out
    },

    /** Gives back the credits of messages WeChat refused without using them. One statement. */
    async release(db: Db, refs: { appId: string; userId: string; templateId: string; messageId: string }[]) {
      await store.giveCredits(db, refs)
    },

    /**
     * After 43101 WeChat holds no consent for this user and template: one-time credits are written
     * off, and a long-term template is marked off (else every later send would meet 43101 again
     * until WeChat's change event arrives).
     */
    async zero(
      db: Db,
      p: {
        appId: string
        userId: string
        templateId: string
        messageId: string | null
        kind: 'one_time' | 'long_term'
      },
    ) {
      const before = await store.zeroCredits(db, {
        ...p,
        ...(p.kind === 'long_term' ? { status: 'off' as const, source: 'wechat' as const } : {}),
      })
      await store.appendEvent(db, { ...p, action: 'zero_after_43101', source: 'wechat', delta: -before })
    },

    /** WeChat's change event: the user switched the template off in settings. Credits left are void. */
    async switchOff(db: Db, p: { appId: string; userId: string; templateId: string }) {
      const before = await store.zeroCredits(db, { ...p, status: 'off', source: 'wechat' })
      await store.appendEvent(db, { ...p, action: 'switched_off', source: 'wechat', delta: -before })
    },

    listForUser: (db: Db, userId: string) => store.listForUser(db, userId),
  }
}

export type Ledger = ReturnType<typeof createLedger>
